namespace Keel.Grading.External;

/// <summary>The forms of transcript <c>keel grade</c> reads (docs/commands/grade.md, "Input forms").</summary>
public enum ExternalFormat
{
    /// <summary>A Keel transcript, as <see cref="Keel.Transcripts.TranscriptJson"/> writes it (bare, or under <c>transcript</c>).</summary>
    Keel,

    /// <summary>OpenAI chat-format <c>messages</c>: <c>tool_calls</c> with <c>function.name</c> and <c>function.arguments</c>, and <c>role: tool</c> results.</summary>
    OpenAi,

    /// <summary>A sample of an Inspect eval log: <c>messages</c> in Inspect's ChatMessage shape.</summary>
    Inspect,

    /// <summary>A raw reply text with <c>&lt;tool_use:NAME&gt;</c> blocks (the agentic-misalignment framework's <c>response</c>).</summary>
    Response,
}

/// <summary>The names of <see cref="ExternalFormat"/> values as printed and written in verdict lines.</summary>
public static class ExternalFormats
{
    /// <summary>The format's name: <c>keel</c>, <c>openai</c>, <c>inspect</c> or <c>response</c>.</summary>
    public static string Name(this ExternalFormat format) => format switch
    {
        ExternalFormat.Keel => "keel",
        ExternalFormat.OpenAi => "openai",
        ExternalFormat.Inspect => "inspect",
        _ => "response",
    };
}
