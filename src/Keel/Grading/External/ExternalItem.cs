using Keel.Transcripts;

namespace Keel.Grading.External;

/// <summary>One transcript read from an external file, with what its own line says about how to grade it.</summary>
/// <param name="Line">The 1-based line of the file where the item starts.</param>
/// <param name="Id">The item's <c>id</c> (an Inspect sample's <c>id#epoch</c>), or <c>line-N</c> when it has none.</param>
/// <param name="Format">The form it was written in.</param>
/// <param name="Transcript">The conversation and its actions, as a Keel transcript.</param>
/// <param name="Family">The family its line names (<c>family</c>), or null to use the command's.</param>
/// <param name="Facts">Detector facts its line gives (<c>facts</c>), by key as written; null when none.</param>
public sealed record ExternalItem(
    int Line,
    string Id,
    ExternalFormat Format,
    Transcript Transcript,
    string? Family,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Facts);

/// <summary>A part of an external file that could not be used: its 1-based line and what is wrong.</summary>
/// <param name="Line">The 1-based line where the faulty item starts.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record ItemProblem(int Line, string Message);

/// <summary>What reading an external file gave: the items that could be read, the problems of the others, and the file's layout.</summary>
/// <param name="Items">Readable items, in file order.</param>
/// <param name="Problems">Items that could not be read, in file order.</param>
/// <param name="Layout"><c>jsonl</c> (one item per line), <c>json-array</c>, <c>inspect-log</c> or <c>json</c> (one item).</param>
public sealed record ExternalFile(IReadOnlyList<ExternalItem> Items, IReadOnlyList<ItemProblem> Problems, string Layout);
