using Keel.Store;

namespace Keel.Cli;

/// <summary>Opens the store for a command, turning a missing or unreadable file into a clear error (printed) instead of an exception.</summary>
internal static class StoreOpening
{
    /// <summary>
    /// The store at <paramref name="db"/>, or null after printing why it cannot be opened. With
    /// <paramref name="missing"/> set, a store that does not exist yet is an error with that message (it is not created).
    /// </summary>
    public static async Task<KeelStore?> OpenAsync(string db, string? missing, CancellationToken cancellationToken)
    {
        if (missing is not null && !File.Exists(db))
        {
            Consoles.Error(missing);
            return null;
        }

        try
        {
            return await KeelStore.OpenAsync(db, cancellationToken);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Consoles.Error($"cannot open the store {db}: {ex.Message}");
            return null;
        }
    }
}
