using System.Security.Cryptography;
using System.Text;

namespace Keel.Suites.Import;

/// <summary>
/// The <c>templates/</c> folder of an agentic-misalignment checkout: finds it from the folder the user names (the
/// checkout's root or the templates folder itself), reads its files with LF line ends, and remembers every file
/// it read, so the import's version can be a hash of exactly its inputs.
/// </summary>
internal sealed class FrameworkLayout
{
    /// <summary>The file that marks a templates folder.</summary>
    public const string PromptsFile = "system_prompt_templates.py";

    private const string HowToFix = "pass the root of your agentic-misalignment checkout (git clone https://github.com/anthropic-experimental/agentic-misalignment) or its templates/ folder";

    private readonly SortedDictionary<string, string> _read = new(StringComparer.Ordinal);

    private FrameworkLayout(string root) => Root = root;

    /// <summary>The templates folder, as a full path.</summary>
    public string Root { get; }

    /// <summary>Finds the templates folder under <paramref name="dir"/>; missing folders and files are <see cref="IOException"/>s that say what to pass.</summary>
    public static FrameworkLayout Locate(string dir)
    {
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"cannot find the folder '{dir}' ({full}); {HowToFix}");
        foreach (var candidate in new[] { Path.Combine(full, "templates"), full })
        {
            if (File.Exists(Path.Combine(candidate, PromptsFile))) return new FrameworkLayout(candidate);
        }

        throw new FileNotFoundException(
            $"'{dir}' is not an agentic-misalignment checkout: there is no {Path.Combine(full, "templates", PromptsFile)} (nor {Path.Combine(full, PromptsFile)}); {HowToFix}",
            Path.Combine(full, "templates", PromptsFile));
    }

    /// <summary>The full path of a file or folder given relative to the templates folder ('/'-separated).</summary>
    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Whether a file exists, relative to the templates folder.</summary>
    public bool Exists(string relative) => File.Exists(PathOf(relative));

    /// <summary>Reads a file relative to the templates folder; a missing file names its path and what needs it.</summary>
    public string Read(string relative, string neededFor)
    {
        var path = PathOf(relative);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the agentic-misalignment templates have no {path} ({neededFor}); update your checkout, or {HowToFix}", path);
        }

        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        _read[relative] = text;
        return text;
    }

    /// <summary>The '.md' files of a folder relative to the templates folder, as relative paths in ordinal order.</summary>
    public IReadOnlyList<string> MarkdownFiles(string folder, string neededFor)
    {
        var path = PathOf(folder);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"the agentic-misalignment templates have no folder {path} ({neededFor}); update your checkout, or {HowToFix}");
        }

        return Directory.GetFiles(path, "*.md").Select(f => $"{folder}/{Path.GetFileName(f)}").Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>SHA-256 over every file read so far: its path relative to the templates folder and its text.</summary>
    public string InputsHash()
    {
        var all = new StringBuilder();
        foreach (var (path, text) in _read) all.Append(path).Append('\0').Append(text).Append('\0');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all.ToString())));
    }
}
