namespace Keel.Grading.Detectors;

/// <summary>A detector fact entry that cannot be read: which fact, which entry of its list, and why.</summary>
public sealed class FactFormatException : FormatException
{
    /// <summary>Creates the error for one entry.</summary>
    /// <param name="fact">The fact key, e.g. <c>material_actions</c>.</param>
    /// <param name="entry">The entry's position in the fact's list, from 0.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    public FactFormatException(string fact, int entry, string problem)
        : base(problem)
    {
        Fact = fact;
        Entry = entry;
    }

    /// <summary>The fact key.</summary>
    public string Fact { get; }

    /// <summary>The entry's position in the fact's list, from 0.</summary>
    public int Entry { get; }
}
