using System.Diagnostics;
using System.Globalization;
using System.Net;
using Keel.Store;
using Keel.Viewer;
using Microsoft.Data.Sqlite;

namespace Keel.Bench;

/// <summary>
/// The <c>viewer</c> verb: serves a store of many samples (generated, or an existing one with <c>--db</c>) with the real
/// viewer in this process, and times each kind of page over loopback HTTP: the first (cold) request, then, after one
/// warm-up request, the median and maximum of <c>--repeat</c> requests.
/// </summary>
internal static class ViewerBench
{
    private const double ListTargetMs = 1000;
    private const double TranscriptTargetMs = 200;

    public static async Task<int> RunAsync(Args args)
    {
        var samples = args.Int("samples", 100_000);
        var db = args.OptionalString("db");
        var repeat = args.Int("repeat", 10);
        var transcripts = args.Int("transcripts", 10);
        var search = args.String("search", "email");
        var seed = args.Int("seed", 1);
        var warm = !args.Flag("no-warm");
        args.RejectUnknown();
        if (samples < 1 || repeat < 1 || transcripts < 1) throw new ArgumentException("--samples, --repeat and --transcripts must be positive");

        Console.WriteLine($"machine:         {System.Environment.ProcessorCount} cores, .NET {System.Environment.Version}; load average {LoadAverage()} (other processes share the cores)");
        var temp = db is null ? Path.Combine(Path.GetTempPath(), $"keel-viewer-bench-{System.Environment.ProcessId}") : null;
        if (temp is not null) Directory.CreateDirectory(temp);
        var path = db ?? Path.Combine(temp!, "keel.db");
        try
        {
            string runId;
            if (File.Exists(path))
            {
                // A store from an older Keel is migrated first (the viewer itself only reads), and the migration timed.
                var migration = Stopwatch.StartNew();
                await (await KeelStore.OpenAsync(path)).DisposeAsync();
                Console.WriteLine($"store opened:    {migration.Elapsed.TotalSeconds:0.0} s (including any migration to the current schema)");
                await using var existing = await KeelStore.OpenReadOnlyAsync(path);
                var largest = (await existing.RunListingsAsync()).OrderByDescending(r => r.StoredSamples).FirstOrDefault()
                    ?? throw new ArgumentException($"{path} has no run");
                runId = largest.Id;
                Console.WriteLine($"store:           {path} (existing; its largest run {runId}, {largest.StoredSamples} samples; --samples ignored)");
            }
            else
            {
                (runId, _) = await ViewerFixture.GenerateAsync(path, samples, CancellationToken.None);
                Console.WriteLine($"store:           {path}, {new FileInfo(path).Length / 1048576.0:0} MB");
            }

            var index = ReplyIndex.DefaultPath(path);
            var clock = Stopwatch.StartNew();
            var indexed = await ReplyIndex.UpdateAsync(path, index);
            Console.WriteLine($"search index:    {indexed} transcripts indexed in {clock.Elapsed.TotalSeconds:0.0} s ({index}, {new FileInfo(index).Length / 1048576.0:0} MB)");

            clock.Restart();
            await using var server = await ViewerServer.StartAsync(new ViewerOptions(path, Port: 0, SearchIndexPath: index, WarmNewestRun: warm));
            Console.WriteLine($"viewer:          {server.Address} started in {clock.ElapsedMilliseconds} ms ({(warm ? "warming the newest run's page in the background" : "--no-warm: nothing computed before the first request")})");
            using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };

            var pages = await PagesAsync(path, runId, search, transcripts, seed);
            var rows = new List<(string Name, string Url, double Cold, double Median, double Max, double Target, long Bytes)>();
            await using var writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            await writer.OpenAsync();
            foreach (var (name, urls, target, written) in pages)
            {
                // "Just written" pages: before each request, one sample of the run is rewritten unchanged (its row is updated,
                // so the store's trigger bumps the run's revision, as each sample keel eval stores does): nothing cached holds.
                Func<Task>? write = written ? () => TouchAsync(writer, runId) : null;
                var (cold, bytes) = await TimeAsync(client, urls[0], write);
                await TimeAsync(client, urls[0 % urls.Count], write);
                var times = new List<double>();
                for (var i = 0; i < repeat; i++) times.Add((await TimeAsync(client, urls[(i + 1) % urls.Count], write)).Ms);
                times.Sort();
                rows.Add((name, urls[0], cold, Median(times), times[^1], target, bytes));
            }

            Console.WriteLine();
            Console.WriteLine($"{"page",-34} {"cold ms",9} {"median ms",10} {"max ms",8} {"target ms",10} {"met",4} {"KB",6}  url (first)");
            foreach (var r in rows)
            {
                Console.WriteLine($"{r.Name,-34} {r.Cold,9:0.0} {r.Median,10:0.0} {r.Max,8:0.0} {r.Target,10:0} {(r.Max < r.Target ? "yes" : "NO"),4} {r.Bytes / 1024.0,6:0}  {r.Url}");
            }

            Console.WriteLine();
            Console.WriteLine($"timed:           {repeat} requests per page after one warm-up (transcripts: {transcripts} random samples in turn); 'met' = max below the target; cold = the page's first request after start");
            Console.WriteLine($"load average:    {LoadAverage()} at the end");
            return rows.All(r => r.Max < r.Target) ? 0 : 1;
        }
        finally
        {
            if (temp is not null)
            {
                try
                {
                    Directory.Delete(temp, recursive: true);
                }
                catch (IOException)
                {
                    // best effort
                }
            }
        }
    }

    /// <summary>
    /// The pages to time, each with one or more URLs (requests cycle through them), its target, and whether the run is
    /// written before each request.
    /// </summary>
    private static async Task<List<(string Name, List<string> Urls, double Target, bool Written)>> PagesAsync(string path, string runId, string search, int transcripts, int seed)
    {
        await using var store = await KeelStore.OpenReadOnlyAsync(path);
        var facets = await store.FacetsAsync(runId);
        var total = (await store.SamplesAsync(new SampleQuery(runId, PageSize: 1))).Total;
        var family = facets.Families.Contains("blackmail") ? "blackmail" : facets.Families[0];
        var run = $"/runs/{runId}";
        var random = new Random(seed);
        var keys = new List<string>();
        for (var i = 0; i < transcripts; i++)
        {
            var page = await store.SamplesAsync(new SampleQuery(runId, Page: 1 + random.Next(total), PageSize: 1));
            var k = page.Rows[0].Key;
            keys.Add($"{run}/sample?model={Uri.EscapeDataString(k.Model)}&condition={Uri.EscapeDataString(k.ConditionId)}&epoch={k.Epoch}");
        }

        var last = (total + 49) / 50;
        var middle = Math.Max(1, last / 2);
        return
        [
            ("runs page /", ["/"], ListTargetMs, false),
            ("run page (report, charts)", [run], ListTargetMs, false),
            ("samples, first page", [$"{run}/samples"], ListTargetMs, false),
            ($"filtered: {family} + harmful", [$"{run}/samples?family={family}&verdict=harmful"], ListTargetMs, false),
            ("filtered: judge disagrees", [$"{run}/samples?agreement=disagree"], ListTargetMs, false),
            ($"deep page {last - 1} of {last}", [$"{run}/samples?page={last - 1}"], ListTargetMs, false),
            ("sorted: tokens desc", [$"{run}/samples?sort=tokens&desc=1"], ListTargetMs, false),
            ($"sorted: verdict, page {middle}", [$"{run}/samples?sort=verdict&page={middle}"], ListTargetMs, false),
            ($"search q={search}", [$"{run}/samples?q={Uri.EscapeDataString(search)}"], ListTargetMs, false),
            ("transcript (random samples)", keys, TranscriptTargetMs, false),
            ("just written: runs page /", ["/"], ListTargetMs, true),
            ("just written: run page", [run], ListTargetMs, true),
            ("just written: samples, first page", [$"{run}/samples"], ListTargetMs, true),
            ("just written: judge disagrees", [$"{run}/samples?agreement=disagree"], ListTargetMs, true),
            ($"just written: search q={search}", [$"{run}/samples?q={Uri.EscapeDataString(search)}"], ListTargetMs, true),
        ];
    }

    /// <summary>Rewrites one sample of the run unchanged: a write the viewer must see (the run's revision grows), with nothing in it to see.</summary>
    private static async Task TouchAsync(SqliteConnection writer, string runId)
    {
        await using var cmd = writer.CreateCommand();
        cmd.CommandText = "UPDATE samples SET model_calls = model_calls WHERE rowid = (SELECT MIN(rowid) FROM samples WHERE run_id = $run)";
        cmd.Parameters.AddWithValue("$run", runId);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<(double Ms, long Bytes)> TimeAsync(HttpClient client, string url, Func<Task>? before = null)
    {
        if (before is not null) await before();
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        clock.Stop();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(400, body.Length)]}");
        return (clock.Elapsed.TotalMilliseconds, body.Length);
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Create(CultureInfo.InvariantCulture, $"{parts[0]} / {parts[1]} / {parts[2]} (1 / 5 / 15 min)");
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
