using Microsoft.Data.Sqlite;

namespace Keel.Tests.Cli;

/// <summary>Reads a store the CLI wrote (or is writing) behind its back, read-only: for checks on what a process left.</summary>
public static class StoreProbe
{
    /// <summary>A read-only, unpooled connection to <paramref name="db"/>.</summary>
    public static SqliteConnection Open(string db)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The single integer <paramref name="sql"/> returns, such as a count.</summary>
    public static long Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }
}
