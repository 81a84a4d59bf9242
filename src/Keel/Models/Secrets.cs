namespace Keel.Models;

/// <summary>
/// The API keys this process has handed to a provider client, and their removal from text: providers and proxies may quote
/// the key back in an error message, which Keel stores as a sample's error reason and prints. <see cref="ModelFactory"/>
/// registers every key it resolves; error text passes through <see cref="Redact"/> before it is stored or shown.
/// Keys shorter than <see cref="MinimumLength"/> (placeholders such as <c>none</c> or <c>ollama</c>) are not secrets and are left alone.
/// </summary>
public static class Secrets
{
    /// <summary>What a key is replaced with.</summary>
    public const string Mask = "[API key redacted]";

    /// <summary>The shortest value treated as a secret.</summary>
    public const int MinimumLength = 8;

    private static volatile string[] _keys = [];
    private static readonly Lock Gate = new();

    /// <summary>Adds a key to the set removed by <see cref="Redact"/>; a short or already known value is ignored.</summary>
    public static void Register(string? key)
    {
        if (key is null || key.Length < MinimumLength) return;
        lock (Gate)
        {
            if (Array.IndexOf(_keys, key) >= 0) return;
            // Longest first, so a key that contains another is masked whole.
            _keys = [.. _keys.Append(key).OrderByDescending(k => k.Length)];
        }
    }

    /// <summary>True if <paramref name="text"/> holds a registered key.</summary>
    public static bool Occur(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        foreach (var key in _keys)
        {
            if (text.Contains(key, StringComparison.Ordinal)) return true;
        }

        return false;
    }

    /// <summary><paramref name="text"/> with every registered key replaced by <see cref="Mask"/>.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var key in _keys)
        {
            if (text.Contains(key, StringComparison.Ordinal)) text = text.Replace(key, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
