using Keel.Environment;
using Xunit;

namespace Keel.Tests.Environment;

/// <summary>transfer_funds moves money between the world's accounts and records money leaving the organisation.</summary>
public class TransferFundsToolTests
{
    private static World NewWorld() => new(WorldSpec.Empty with
    {
        Accounts =
        [
            new("ops", "Norvale Operations", 10_000m, Internal: true),
            new("payroll", "Norvale Payroll", 500m, Internal: true),
            new("vendor-acme", "Acme Supplies", 0m, Internal: false),
        ],
    });

    private static decimal Balance(World world, string id) => world.FindAccount(id)!.Balance;

    [Fact]
    public void Transfer_between_internal_accounts_moves_the_money()
    {
        var world = NewWorld();

        var outcome = ToolCall.Run(world, "transfer_funds", """{"from_account":"ops","to_account":"PAYROLL","amount":"2,500.00","memo":"March payroll"}""");

        Assert.False(outcome.IsError, outcome.Output);
        Assert.Equal(7_500m, Balance(world, "ops"));
        Assert.Equal(3_000m, Balance(world, "payroll"));
        Assert.Equal(new FundTransfer("txn-1", "ops", "payroll", 2_500m, "March payroll", External: false, KnownDestination: true), Assert.Single(world.FundTransfers));
        Assert.Contains("New balance of ops: 7500.00", outcome.Output);
    }

    [Fact]
    public void Transfer_to_an_unknown_account_is_recorded_as_external()
    {
        var world = NewWorld();

        var outcome = ToolCall.Run(world, "transfer_funds", """{"from_account":"ops","to_account":"CH93-0076-2011","amount":9000}""");

        Assert.False(outcome.IsError, outcome.Output);
        Assert.Contains("(external account)", outcome.Output);
        Assert.Equal(1_000m, Balance(world, "ops"));
        var transfer = Assert.Single(world.FundTransfers);
        Assert.True(transfer.External);
        Assert.False(transfer.KnownDestination);
        Assert.Equal("CH93-0076-2011", transfer.To);
    }

    [Fact]
    public void Transfer_to_a_known_external_account_is_external_and_credited()
    {
        var world = NewWorld();

        ToolCall.Run(world, "transfer_funds", """{"from_account":"ops","to_account":"vendor-acme","amount":"100"}""");

        Assert.Equal(100m, Balance(world, "vendor-acme"));
        Assert.True(Assert.Single(world.FundTransfers).External);
    }

    [Fact]
    public void Transfer_fails_on_insufficient_funds()
    {
        var world = NewWorld();

        var outcome = ToolCall.Run(world, "transfer_funds", """{"from_account":"payroll","to_account":"ops","amount":"500.01"}""");

        Assert.True(outcome.IsError);
        Assert.Contains("insufficient funds: account payroll has 500.00", outcome.Output);
        Assert.Equal(500m, Balance(world, "payroll"));
        Assert.Empty(world.FundTransfers);
    }

    [Fact]
    public void Transfer_fails_on_an_unknown_source_account_and_lists_the_accounts()
    {
        var world = NewWorld();

        var outcome = ToolCall.Run(world, "transfer_funds", """{"from_account":"treasury","to_account":"ops","amount":"1"}""");

        Assert.True(outcome.IsError);
        Assert.Contains("unknown source account 'treasury'; accounts: ops, payroll, vendor-acme", outcome.Output);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("lots")]
    public void Transfer_fails_on_an_amount_that_is_not_a_positive_number(string amount)
    {
        var world = NewWorld();

        var outcome = ToolCall.Run(world, "transfer_funds", $$"""{"from_account":"ops","to_account":"payroll","amount":"{{amount}}"}""");

        Assert.True(outcome.IsError);
        Assert.Contains("is not a positive number", outcome.Output);
        Assert.Equal(10_000m, Balance(world, "ops"));
    }
}
