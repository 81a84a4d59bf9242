using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Keel.Tests.Cli;

/// <summary>
/// <c>keel eval --target-width</c> end to end with reference/mixed (p = 0.3) on the nine conditions of blackmail-larkspur:
/// every cell ends narrower than the target or at the cap, the cap is reported, and a killed run resumes to exactly the
/// samples an uninterrupted run has.
/// </summary>
public class AdaptiveEvalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] Eval(string db, params string[] more) =>
        ["eval", "--scenario", "blackmail-larkspur", "--model", "reference/mixed?p=0.3", "--seed", "11", "--db", db, .. more];

    [Fact]
    public async Task Every_cell_ends_narrower_than_the_target_width_or_at_the_cap()
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, Eval(temp.File("k.db"), "--target-width", "0.3", "--json"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("90 samples in the first round", r.Stderr);
        var doc = JsonDocument.Parse(r.Stdout).RootElement;
        var cells = doc.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(9, cells.Count);
        foreach (var cell in cells)
        {
            var samples = cell.GetProperty("n").GetInt32() + cell.GetProperty("undecided").GetInt32();
            var width = cell.GetProperty("ci_high").GetDouble() - cell.GetProperty("ci_low").GetDouble();
            Assert.True(width <= 0.3 || samples >= 100, $"{cell.GetProperty("condition")}: {samples} samples, width {width}");
            Assert.InRange(samples, 10, 100);
        }

        // The planned count follows the rounds: a complete run has planned exactly what it ran.
        Assert.Equal(cells.Sum(c => c.GetProperty("n").GetInt32() + c.GetProperty("undecided").GetInt32()), doc.GetProperty("planned_samples").GetInt32());
        // At 10 samples a 30% rate's interval is about 0.5 wide: every cell needed further rounds.
        Assert.All(cells, c => Assert.True(c.GetProperty("n").GetInt32() > 10));
        var adaptive = doc.GetProperty("adaptive");
        Assert.Equal((0.3, 100, 10), (adaptive.GetProperty("target_width").GetDouble(), adaptive.GetProperty("max_samples").GetInt32(), adaptive.GetProperty("first_round").GetInt32()));
        Assert.Equal(9, adaptive.GetProperty("narrower").GetInt32() + adaptive.GetProperty("at_cap").GetArrayLength());
        Assert.Empty(adaptive.GetProperty("unfinished").EnumerateArray());
    }

    [Fact]
    public async Task Cells_that_reach_the_cap_stop_there_and_the_summary_names_them()
    {
        using var temp = new TempDir();
        var db = temp.File("k.db");
        var r = await KeelProcess.RunAsync(temp.Path, Eval(db, "--target-width", "0.3", "--max-samples", "20"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        using var connection = StoreProbe.Open(db);
        var perCell = Rows(connection, "SELECT condition_id, COUNT(*), MAX(epoch) FROM samples GROUP BY condition_id")
            .Select(row => (Condition: (string)row[0], Count: (long)row[1], MaxEpoch: (long)row[2])).ToList();
        Assert.Equal(9, perCell.Count);
        Assert.All(perCell, c => Assert.Equal(c.Count, c.MaxEpoch)); // epochs 1..n, none skipped or doubled
        Assert.All(perCell, c => Assert.InRange(c.Count, 10, 20));
        var capped = perCell.Where(c => c.Count == 20).ToList();
        Assert.NotEmpty(capped);
        Assert.Contains("at most 20 samples per cell", r.Stdout);
        Assert.Contains($"{capped.Count} at the cap", r.Stdout);
        foreach (var c in capped) Assert.Contains($"at the cap: reference/mixed?p=0.3 {c.Condition}: 20 samples", r.Stdout);
        Assert.Equal(perCell.Sum(c => c.Count), (long)Rows(connection, "SELECT planned_samples FROM runs").Single()[0]);
        var config = JsonDocument.Parse((string)Rows(connection, "SELECT config_json FROM runs").Single()[0]).RootElement;
        Assert.Equal((0.3, 20), (config.GetProperty("target_width").GetDouble(), config.GetProperty("max_samples").GetInt32()));
    }

    [Fact]
    public async Task A_killed_adaptive_run_resumes_to_exactly_the_samples_of_an_uninterrupted_run()
    {
        using var temp = new TempDir();
        string[] adaptive = ["--target-width", "0.2", "--max-samples", "150", "--concurrency", "1"];
        var whole = await KeelProcess.RunAsync(temp.Path, Eval(temp.File("whole.db"), [.. adaptive, "--json"]));
        Assert.True(whole.ExitCode == 0, whole.Stderr);

        var db = temp.File("killed.db");
        string runId;
        using (var child = KeelProcess.Start(temp.Path, Eval(db, adaptive)))
        {
            runId = await ReadRunIdAsync(child);
            var deadline = Stopwatch.StartNew();
            while (Count(db) < 150)
            {
                Assert.False(child.HasExited, "the run finished before it could be killed");
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), "timed out waiting for samples");
                await Task.Delay(20, Ct);
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(Ct);
        }

        var before = Count(db);
        var total = Samples(temp.File("whole.db")).Count;
        Assert.InRange(before, 150, total - 1);

        var refused = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db, "--target-width", "0.3");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("drop --target-width", refused.Stderr);

        var resumed = await KeelProcess.RunAsync(temp.Path, "eval", "--resume", runId, "--db", db, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"{before} already stored", resumed.Stderr);
        Assert.Equal(Samples(temp.File("whole.db")), Samples(db));
        Assert.Equal(JsonDocument.Parse(whole.Stdout).RootElement.GetProperty("cells").GetRawText(),
            JsonDocument.Parse(resumed.Stdout).RootElement.GetProperty("cells").GetRawText());
        using var connection = StoreProbe.Open(db);
        Assert.Equal(total, (long)Rows(connection, "SELECT COUNT(DISTINCT model || '|' || condition_id || '|' || epoch) FROM samples").Single()[0]);
        Assert.Equal(total, (long)Rows(connection, "SELECT COUNT(*) FROM verdicts").Single()[0]);
    }

    [Theory]
    [InlineData("--target-width must be above 0 and below 1", "--target-width", "0")]
    [InlineData("--target-width must be above 0 and below 1", "--target-width", "1.5")]
    [InlineData("--max-samples (5) must be at least --samples (10)", "--target-width", "0.2", "--max-samples", "5")]
    [InlineData("--max-samples caps adaptive sampling; give --target-width W as well", "--max-samples", "50")]
    public async Task Bad_adaptive_options_exit_2_with_a_clear_message(string message, params string[] args)
    {
        using var temp = new TempDir();
        var r = await KeelProcess.RunAsync(temp.Path, Eval(temp.File("k.db"), args));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    /// <summary>Every stored sample: key, status and detector verdict, in key order.</summary>
    private static List<string> Samples(string db)
    {
        using var connection = StoreProbe.Open(db);
        return Rows(connection, """
            SELECT s.model || '|' || s.condition_id || '|' || s.epoch || '|' || s.status || '|' || COALESCE(v.harmful, 'null')
            FROM samples s LEFT JOIN verdicts v USING (run_id, model, condition_id, epoch)
            ORDER BY s.model, s.condition_id, s.epoch
            """).Select(r => (string)r[0]).ToList();
    }

    private static int Count(string db)
    {
        if (!File.Exists(db)) return 0;
        try
        {
            using var connection = StoreProbe.Open(db);
            return (int)(long)Rows(connection, "SELECT COUNT(*) FROM samples").Single()[0];
        }
        catch (SqliteException)
        {
            return 0; // Schema not created yet.
        }
    }

    private static async Task<string> ReadRunIdAsync(Process child)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await child.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("run: ", StringComparison.Ordinal)) return line["run: ".Length..].Trim();
        }

        throw new InvalidOperationException("keel exited without printing its run id");
    }

    private static List<object[]> Rows(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
