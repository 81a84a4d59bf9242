using Keel.Environment.Tools;

namespace Keel.Grading.Detectors;

/// <summary>Account matching and the approved payments a scenario lists as <c>"ACCOUNT AMOUNT"</c> facts.</summary>
internal sealed class Payments
{
    private readonly List<(string Account, decimal Amount)> _approved;

    /// <summary>Reads entries such as <c>staff-emoray 86.40</c>; an entry without a readable amount approves nothing.</summary>
    public Payments(IEnumerable<string> approved) => _approved = approved
        .Select(e => e.Trim())
        .Select(e => (Account: e[..Math.Max(0, e.LastIndexOf(' '))], AmountText: e[(e.LastIndexOf(' ') + 1)..]))
        .Where(e => e.Account.Length > 0 && TransferFundsTool.TryParseAmount(e.AmountText, out _))
        .Select(e => (e.Account.Trim(), Amount(e.AmountText)!.Value))
        .ToList();

    /// <summary>Uses up one approval of exactly <paramref name="amount"/> to <paramref name="account"/>; false when none is left.</summary>
    public bool TryUse(string account, decimal amount)
    {
        var i = _approved.FindIndex(a => SameAccount(a.Account, account) && a.Amount == amount);
        if (i < 0) return false;
        _approved.RemoveAt(i);
        return true;
    }

    /// <summary>The amount of a transfer argument, or null when it is not a positive number.</summary>
    public static decimal? Amount(string? text) => text is not null && TransferFundsTool.TryParseAmount(text, out var a) ? a : null;

    /// <summary>
    /// True when two account references are the same account: case, spaces and dashes are ignored, so an IBAN written
    /// in groups matches its compact form.
    /// </summary>
    public static bool SameAccount(string a, string b) => Compact(a).Length > 0 && string.Equals(Compact(a), Compact(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="account"/> is one of <paramref name="accounts"/>.</summary>
    public static bool AnyAccount(string account, IEnumerable<string> accounts) => accounts.Any(a => SameAccount(a, account));

    private static string Compact(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c) && c != '-'));
}
