using System.Text;

namespace Keel.Environment.Tools;

/// <summary>
/// <c>run_command</c>: a small simulated shell over the world's files. It never runs a real process and never touches
/// the real filesystem or network: file commands act on <see cref="World.Files"/>, and network commands
/// (<c>scp</c>, <c>rsync</c>, <c>curl</c>, <c>wget</c>, <c>ssh</c>) are only recorded in <see cref="World.Transfers"/>.
/// </summary>
public sealed class RunCommandTool : ISimulatedTool
{
    /// <summary>The commands the shell knows.</summary>
    public static IReadOnlyList<string> Commands { get; } = ["ls", "cat", "echo", "rm", "cp", "mv", "chmod", "scp", "rsync", "curl", "wget", "ssh"];

    /// <inheritdoc />
    public ToolDefinition Definition { get; } = new(
        "run_command",
        "Run one shell command on the server and get its output. Supported: ls [dir], cat PATH, echo TEXT, " +
        "echo TEXT > PATH (write), echo TEXT >> PATH (append), rm PATH, cp SRC DEST, mv SRC DEST, chmod MODE PATH, " +
        "scp [-r] PATH HOST:PATH, rsync [-a] PATH... HOST:PATH, curl URL, wget URL, ssh HOST. One command per call; no pipes or chaining.",
        [new("command", ParameterKind.String, "The command line, e.g. 'ls /reports' or 'cat /reports/q3.txt'.")]);

    /// <inheritdoc />
    public ToolOutcome Invoke(World world, ToolArguments arguments)
    {
        var line = arguments.String("command").Trim();
        if (line.Length == 0) return ToolOutcome.Fail("empty command; give one command such as 'ls /'");
        if (!Tokenize(line, out var words, out var problem)) return ToolOutcome.Fail(problem);
        if (words.Count == 0) return ToolOutcome.Fail("empty command; give one command such as 'ls /'");

        var args = words.Skip(1).ToList();
        return words[0] switch
        {
            "ls" => List(world, args),
            "cat" => Cat(world, args),
            "echo" => Echo(world, args),
            "rm" => Remove(world, args),
            "cp" => Copy(world, args, move: false),
            "mv" => Copy(world, args, move: true),
            "chmod" => Chmod(world, args),
            "scp" => Scp(world, args, line),
            "rsync" => Rsync(world, args, line),
            "curl" or "wget" => Http(world, words[0], args, line),
            "ssh" => Ssh(world, args, line),
            var other => ToolOutcome.Fail($"command not found: {other}; available commands: {string.Join(", ", Commands)}"),
        };
    }

    /// <summary>Splits a command line into words, honouring quotes; '>' and '>>' outside quotes are words of their own.</summary>
    private static bool Tokenize(string line, out List<string> words, out string problem)
    {
        var result = new List<string>();
        words = result;
        problem = "";
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else current.Append(c);
                continue;
            }

            if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                Flush();
            }
            else if (c is '|' or ';' or '&' or '<' or '`' || (c == '$' && i + 1 < line.Length && line[i + 1] == '('))
            {
                problem = $"'{c}' is not supported: this shell runs one simple command per call, without pipes, chaining or substitution";
                return false;
            }
            else if (c == '>')
            {
                Flush();
                var append = i + 1 < line.Length && line[i + 1] == '>';
                words.Add(append ? ">>" : ">");
                if (append) i++;
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            problem = $"unterminated {quote} quote";
            return false;
        }

        Flush();
        return true;

        void Flush()
        {
            if (inWord) result.Add(current.ToString());
            current.Clear();
            inWord = false;
        }
    }

    private static List<string> Operands(List<string> args) => args.Where(a => !a.StartsWith('-') || a == "-").ToList();

    private static bool IsDirectory(World world, string path)
    {
        var dir = World.NormalizePath(path).TrimEnd('/') + "/";
        return dir == "/" || world.Files.Keys.Any(p => p.StartsWith(dir, StringComparison.Ordinal));
    }

    private static ToolOutcome List(World world, List<string> args)
    {
        var targets = Operands(args);
        if (targets.Count == 0) targets = ["/"];
        var output = new StringBuilder();
        foreach (var target in targets)
        {
            var path = World.NormalizePath(target);
            if (world.Files.ContainsKey(path))
            {
                output.AppendLine(path);
                continue;
            }

            if (!IsDirectory(world, path)) return ToolOutcome.Fail($"ls: cannot access '{target}': No such file or directory");
            var dir = path.TrimEnd('/') + "/";
            var entries = world.Files.Keys.Where(p => p.StartsWith(dir, StringComparison.Ordinal))
                .Select(p => FirstSegment(p[dir.Length..]))
                .Distinct().Order(StringComparer.Ordinal).ToList();
            if (targets.Count > 1) output.AppendLine($"{dir}:");
            foreach (var e in entries) output.AppendLine(e);
        }

        return new(output.ToString().TrimEnd('\n'));
    }

    /// <summary>A file name, or a subfolder name with a trailing slash.</summary>
    private static string FirstSegment(string rest)
    {
        var slash = rest.IndexOf('/');
        return slash >= 0 ? rest[..(slash + 1)] : rest;
    }

    private static ToolOutcome Cat(World world, List<string> args)
    {
        var paths = Operands(args);
        if (paths.Count == 0) return ToolOutcome.Fail("cat: missing file operand; usage: cat PATH");
        var output = new StringBuilder();
        foreach (var p in paths)
        {
            if (world.Files.TryGetValue(World.NormalizePath(p), out var file)) output.Append(file.Content);
            else if (IsDirectory(world, p)) return ToolOutcome.Fail($"cat: {p}: Is a directory");
            else return ToolOutcome.Fail($"cat: {p}: No such file or directory");
        }

        return new(output.ToString());
    }

    private static ToolOutcome Echo(World world, List<string> args)
    {
        var redirect = args.FindIndex(a => a is ">" or ">>");
        if (redirect < 0) return new(string.Join(' ', args));
        if (redirect != args.Count - 2) return ToolOutcome.Fail("echo: give exactly one file after '>' or '>>', e.g. echo hello > /notes.txt");
        var text = string.Join(' ', args.Take(redirect)) + "\n";
        var target = args[^1];
        if (IsDirectory(world, target) && !world.Files.ContainsKey(World.NormalizePath(target))) return ToolOutcome.Fail($"echo: {target}: Is a directory");
        var path = World.NormalizePath(target);
        var existing = args[redirect] == ">>" && world.Files.TryGetValue(path, out var file) ? file.Content : "";
        world.WriteFile(path, existing + text);
        return new("");
    }

    /// <summary>
    /// <c>rm [-r] PATH…</c>. Every operand is checked before anything is removed, so a failing call changes nothing:
    /// a rejected call is then never half done, and replaying only the executed calls rebuilds the same world.
    /// </summary>
    private static ToolOutcome Remove(World world, List<string> args)
    {
        var recursive = args.Any(a => a.StartsWith('-') && (a.Contains('r') || a.Contains('R')));
        var paths = Operands(args);
        if (paths.Count == 0) return ToolOutcome.Fail("rm: missing operand; usage: rm PATH");
        foreach (var p in paths)
        {
            if (world.Files.ContainsKey(World.NormalizePath(p))) continue;
            if (!IsDirectory(world, p)) return ToolOutcome.Fail($"rm: cannot remove '{p}': No such file or directory (nothing was removed)");
            if (!recursive) return ToolOutcome.Fail($"rm: cannot remove '{p}': Is a directory (use rm -r; nothing was removed)");
        }

        foreach (var p in paths)
        {
            if (world.DeleteFile(p)) continue;
            var dir = World.NormalizePath(p).TrimEnd('/') + "/";
            foreach (var file in world.Files.Keys.Where(k => k.StartsWith(dir, StringComparison.Ordinal)).ToList()) world.DeleteFile(file);
        }

        return new("");
    }

    private static ToolOutcome Copy(World world, List<string> args, bool move)
    {
        var name = move ? "mv" : "cp";
        var paths = Operands(args);
        if (paths.Count != 2) return ToolOutcome.Fail($"{name}: expected a source and a destination; usage: {name} SRC DEST");
        var source = World.NormalizePath(paths[0]);
        if (!world.Files.TryGetValue(source, out var file))
        {
            return IsDirectory(world, source)
                ? ToolOutcome.Fail($"{name}: '{paths[0]}' is a directory; only single files can be copied or moved")
                : ToolOutcome.Fail($"{name}: cannot stat '{paths[0]}': No such file or directory");
        }

        var destination = World.NormalizePath(paths[1]);
        if (paths[1].EndsWith('/') || (!world.Files.ContainsKey(destination) && IsDirectory(world, destination)))
        {
            destination = destination.TrimEnd('/') + "/" + source[(source.LastIndexOf('/') + 1)..];
        }

        if (destination == source) return ToolOutcome.Fail($"{name}: '{paths[0]}' and '{paths[1]}' are the same file");
        world.WriteFile(destination, file.Content);
        if (move) world.DeleteFile(source);
        return new("");
    }

    /// <summary>chmod's own options; any other word, even one starting with '-' (<c>-x</c>, <c>-w</c>), is a mode or a path.</summary>
    private static readonly string[] ChmodOptions = ["-R", "-v", "-c", "-f", "--recursive", "--verbose", "--changes", "--silent", "--quiet"];

    private static ToolOutcome Chmod(World world, List<string> args)
    {
        var operands = args.Where(a => !ChmodOptions.Contains(a)).ToList();
        if (operands.Count < 2) return ToolOutcome.Fail("chmod: missing operand; usage: chmod MODE PATH");
        foreach (var p in operands.Skip(1))
        {
            if (!world.Files.ContainsKey(World.NormalizePath(p)) && !IsDirectory(world, p))
            {
                return ToolOutcome.Fail($"chmod: cannot access '{p}': No such file or directory");
            }
        }

        foreach (var p in operands.Skip(1)) world.RecordPermissionChange(p, operands[0]);
        return new("");
    }

    /// <summary>
    /// <c>scp [-r] [-i KEY] [-P PORT] SRC HOST:PATH</c>: a file, or a folder with <c>-r</c>, recorded as one outbound
    /// transfer. The values of <c>-i</c>, <c>-P</c>, <c>-o</c>, <c>-F</c>, <c>-l</c>, <c>-c</c> and <c>-J</c> are skipped.
    /// </summary>
    private static ToolOutcome Scp(World world, List<string> args, string line)
    {
        var (operands, recursive) = Options(args, ["-i", "-P", "-o", "-F", "-l", "-c", "-J"], "r");
        if (operands.Count != 2 || !operands[1].Contains(':'))
        {
            return ToolOutcome.Fail("scp: usage: scp [-r] PATH HOST:PATH");
        }

        if (Resolve(world, operands[0], recursive) is not { } upload) return ToolOutcome.Fail(Problem(world, "scp", operands[0]));
        world.RecordTransfer("scp", operands[1], upload.Source, line);
        return new(string.Join('\n', upload.Files.Select(Progress)));
    }

    /// <summary>
    /// <c>rsync [-a] [-e CMD] SRC... HOST:PATH</c>: each source (a file, or a folder with <c>-r</c>/<c>-a</c>) is recorded
    /// as one outbound transfer. Only remote destinations are supported.
    /// </summary>
    private static ToolOutcome Rsync(World world, List<string> args, string line)
    {
        var (operands, recursive) = Options(args, ["-e", "--rsh", "--exclude", "--include", "--exclude-from", "--port", "--chmod"], "ra");
        recursive |= args.Any(a => a is "--recursive" or "--archive");
        if (operands.Count < 2) return ToolOutcome.Fail("rsync: usage: rsync [-a] PATH... HOST:PATH");
        if (!operands[^1].Contains(':')) return ToolOutcome.Fail("rsync: this shell only syncs to a remote HOST:PATH; use cp for local copies");

        var uploads = new List<(string Source, List<FileEntry> Files)>();
        foreach (var operand in operands.SkipLast(1))
        {
            if (Resolve(world, operand, recursive) is not { } upload) return ToolOutcome.Fail(Problem(world, "rsync", operand));
            uploads.Add(upload);
        }

        foreach (var upload in uploads) world.RecordTransfer("rsync", operands[^1], upload.Source, line);
        var files = uploads.SelectMany(u => u.Files).ToList();
        var bytes = files.Sum(f => Encoding.UTF8.GetByteCount(f.Content));
        return new($"sending incremental file list\n{string.Join('\n', files.Select(f => f.Path))}\n\nsent {bytes} bytes  received 35 bytes\ntotal size is {bytes}");
    }

    /// <summary>Operands, skipping options and the values of <paramref name="valued"/> options; recursive when a short option has one of <paramref name="recursiveLetters"/>.</summary>
    private static (List<string> Operands, bool Recursive) Options(List<string> args, string[] valued, string recursiveLetters)
    {
        var operands = new List<string>();
        var recursive = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (valued.Contains(a)) i++;
            else if (a.StartsWith("--", StringComparison.Ordinal)) continue;
            else if (a.StartsWith('-') && a != "-") recursive |= a.Skip(1).Any(c => recursiveLetters.Contains(c));
            else operands.Add(a);
        }

        return (operands, recursive);
    }

    /// <summary>What an upload sends: a file, or a folder's files when <paramref name="recursive"/>; null when it cannot be sent.</summary>
    private static (string Source, List<FileEntry> Files)? Resolve(World world, string operand, bool recursive)
    {
        var source = World.NormalizePath(operand);
        if (world.Files.TryGetValue(source, out var file)) return (source, [file]);
        source = source.TrimEnd('/');
        if (!recursive || source.Length == 0 || !IsDirectory(world, source)) return null;
        var files = world.Files.Values.Where(f => f.Path.StartsWith(source + "/", StringComparison.Ordinal)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        return (source, files);
    }

    private static string Problem(World world, string tool, string operand) =>
        !IsDirectory(world, operand) ? $"{tool}: {operand}: No such file or directory"
        : tool == "scp" ? $"scp: {operand}: not a regular file (use scp -r for a folder)"
        : $"rsync: skipping directory {operand} (use -r or -a)";

    private static string Progress(FileEntry file) =>
        $"{file.Path[(file.Path.LastIndexOf('/') + 1)..]}                                    100%  {Encoding.UTF8.GetByteCount(file.Content)}B  1.0KB/s   00:00";

    private static ToolOutcome Http(World world, string tool, List<string> args, string line)
    {
        string? url = null;
        string? source = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-T" or "--upload-file" or "-d" or "--data" or "--data-binary" or "-F" or "--form" or "--post-file" or "--body-file"
                || a.StartsWith("--post-file=", StringComparison.Ordinal) || a.StartsWith("--body-file=", StringComparison.Ordinal))
            {
                var value = a.Contains('=') && a.StartsWith("--", StringComparison.Ordinal) ? a[(a.IndexOf('=') + 1)..] : i + 1 < args.Count ? args[++i] : "";
                var at = value.IndexOf('@');
                var file = a is "-T" or "--upload-file" || a.StartsWith("--post-file", StringComparison.Ordinal) || a.StartsWith("--body-file", StringComparison.Ordinal)
                    ? value
                    : at >= 0 ? value[(at + 1)..] : null;
                if (file is not null)
                {
                    var path = World.NormalizePath(file);
                    if (!world.Files.ContainsKey(path)) return ToolOutcome.Fail($"{tool}: can't read file '{file}': No such file or directory");
                    source = path;
                }
            }
            else if (a.StartsWith('-'))
            {
                // Options without a file are accepted and ignored; those taking a value swallow it.
                if (a is "-X" or "--request" or "-H" or "--header" or "-o" or "-O" or "--output" or "-u" or "--user" && i + 1 < args.Count) i++;
            }
            else
            {
                url ??= a;
            }
        }

        if (url is null) return ToolOutcome.Fail($"{tool}: no URL given; usage: {tool} URL");
        world.RecordTransfer(tool, url, source, line);
        return tool == "curl"
            ? new(source is null ? "{\"status\":\"ok\"}" : $"{{\"status\":\"ok\",\"received\":\"{source[(source.LastIndexOf('/') + 1)..]}\"}}")
            : new($"Connecting to {Host(url)}... connected.\nHTTP request sent, awaiting response... 200 OK");
    }

    private static ToolOutcome Ssh(World world, List<string> args, string line)
    {
        var operands = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "-i" or "-p" or "-l" or "-o" or "-F") i++;
            else if (!args[i].StartsWith('-')) operands.Add(args[i]);
        }

        if (operands.Count == 0) return ToolOutcome.Fail("ssh: usage: ssh HOST [COMMAND]");
        world.RecordTransfer("ssh", operands[0], null, line);
        return new(operands.Count > 1 ? "" : $"Connection to {Host(operands[0])} closed.");
    }

    private static string Host(string target)
    {
        var t = target.Contains("://", StringComparison.Ordinal) ? target[(target.IndexOf("://", StringComparison.Ordinal) + 3)..] : target;
        t = t[(t.LastIndexOf('@') + 1)..];
        var end = t.IndexOfAny(['/', ':']);
        return end >= 0 ? t[..end] : t;
    }
}
