using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace ShopApi.Tests;

/// <summary>
/// The PostgreSQL server the tests create their databases on. <c>.ci/run</c> starts a throwaway cluster and passes its
/// connection string in <c>SHOPAPI_POSTGRES</c>; without it, the tests start their own with <c>.ci/postgres</c>
/// and stop it at the end. Where PostgreSQL is not installed the PostgreSQL tests fail and say so: they never pass
/// without having run.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    public const string Variable = "SHOPAPI_POSTGRES";

    private string? _ownClusterDirectory;

    /// <summary>A connection string to the server's maintenance database; null when no server could be had.</summary>
    public string? ServerConnectionString { get; private set; }

    /// <summary>Why there is no server, for the failure message.</summary>
    public string? Problem { get; private set; }

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            ServerConnectionString = given;
            return;
        }

        var script = Path.Combine(RepositoryRoot(), ".ci", "postgres");
        var (exitCode, output, error) = await RunAsync(script, "start");
        if (exitCode != 0)
        {
            Problem = $"{Variable} is not set and '.ci/postgres start' failed (exit code {exitCode}): {error.Trim()}";
            return;
        }

        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                continue;
            }

            // The script prints shell assignments with `printf %q`: only ';' is escaped in these values.
            var value = line[(equals + 1)..].Replace("\\;", ";", StringComparison.Ordinal);
            switch (line[..equals])
            {
                case "SHOPAPI_POSTGRES_DIR":
                    _ownClusterDirectory = value;
                    break;
                case Variable:
                    ServerConnectionString = value;
                    break;
            }
        }

        if (ServerConnectionString is null)
        {
            Problem = $"'.ci/postgres start' printed no connection string: {output}";
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_ownClusterDirectory is not null)
        {
            var script = Path.Combine(RepositoryRoot(), ".ci", "postgres");
            await RunAsync(script, "stop", _ownClusterDirectory);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Analyzers.sln above {AppContext.BaseDirectory}");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
