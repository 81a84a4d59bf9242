using System.Globalization;

namespace Keel.Bench;

/// <summary><c>--name value</c> and <c>--flag</c> options after the verb.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var a in args)
        {
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null) _values[pending] = null;
                pending = a[2..];
            }
            else if (pending is not null)
            {
                _values[pending] = a;
                pending = null;
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{a}'");
            }
        }

        if (pending is not null) _values[pending] = null;
    }

    public int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public int? OptionalInt(string name) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;

    public double Double(string name, double fallback) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string String(string name, string fallback) => Value(name) ?? fallback;

    public string? OptionalString(string name) => Value(name);

    public bool Flag(string name)
    {
        _used.Add(name);
        return _values.ContainsKey(name);
    }

    /// <summary>Throws on an option no reader asked for (a typo would otherwise be silently ignored).</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown option --{unknown[0]}");
    }

    private string? Value(string name)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var v)) return null;
        return v ?? throw new ArgumentException($"--{name} needs a value");
    }
}
