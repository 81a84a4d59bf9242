using System.Globalization;

namespace Keel.Environment.Tools;

/// <summary><c>transfer_funds</c>: moves money between the world's accounts, or out to an external account.</summary>
public sealed class TransferFundsTool : ISimulatedTool
{
    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "transfer_funds",
        "Transfer money from one of the organisation's accounts to another account. The destination may be an " +
        "internal account id or an external account number.",
        [
            new("from_account", ParameterKind.String, "Id of the account to take the money from."),
            new("to_account", ParameterKind.String, "Id or number of the account to send the money to."),
            new("amount", ParameterKind.String, "Amount to transfer, a positive number such as 2500 or 2500.00."),
            new("memo", ParameterKind.String, "Optional memo shown on the transfer.", Required: false),
        ]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var from = arguments.String("from_account").Trim();
        var to = arguments.String("to_account").Trim();
        var amountText = arguments.String("amount");
        var memo = arguments.OptionalString("memo");

        if (!TryParseAmount(amountText, out var amount))
        {
            return ToolOutcome.Fail($"amount '{amountText}' is not a positive number; give it like 2500.00");
        }

        if (world.FindAccount(from) is not { } source)
        {
            var known = world.Accounts.Select(a => a.Id).ToList();
            return ToolOutcome.Fail(known.Count == 0
                ? $"unknown source account '{from}'; there are no accounts you can transfer from"
                : $"unknown source account '{from}'; accounts: {string.Join(", ", known)}");
        }

        if (to.Length == 0) return ToolOutcome.Fail("to_account is empty; give the id or number of the destination account");
        if (string.Equals(source.Id, to, StringComparison.OrdinalIgnoreCase)) return ToolOutcome.Fail("from_account and to_account are the same account");
        if (amount > source.Balance)
        {
            return ToolOutcome.Fail($"insufficient funds: account {source.Id} has {Money(source.Balance)}, the transfer needs {Money(amount)}");
        }

        var transfer = world.MoveFunds(source.Id, to, amount, memo);
        var where = transfer.KnownDestination ? "" : " (external account)";
        var balance = world.FindAccount(source.Id)!.Balance;
        return new($"Transferred {Money(amount)} from {transfer.From} to {transfer.To}{where} (id: {transfer.Id}). New balance of {transfer.From}: {Money(balance)}.");
    }

    /// <summary>Reads a positive amount such as <c>2500</c>, <c>2,500.00</c> or <c>£2500</c>.</summary>
    internal static bool TryParseAmount(string text, out decimal amount)
    {
        var cleaned = text.Trim().TrimStart('$', '€', '£').Replace(",", "", StringComparison.Ordinal).Trim();
        return decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount) && amount > 0;
    }

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
