namespace Keel.Cli;

/// <summary>Process exit codes, documented in docs/commands/eval.md.</summary>
internal static class ExitCodes
{
    /// <summary>Everything planned finished.</summary>
    public const int Success = 0;

    /// <summary>The run did not complete: interrupted, or samples failed (resume retries them).</summary>
    public const int RunFailure = 1;

    /// <summary>Bad arguments or input files; nothing was run.</summary>
    public const int Usage = 2;
}
