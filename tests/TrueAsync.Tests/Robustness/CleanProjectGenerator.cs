using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// The "mostly clean" profile of the generated project: code that looks like a library, where almost every method
/// does the right thing. Async methods await the true async APIs (EF Core, Dapper, ADO.NET, streams, HttpClient),
/// call the project's own async methods in chains, use <c>ConfigureAwait(false)</c>, and call many of the project's
/// own synchronous helpers (parsing, formatting, in-memory LINQ, buffer arithmetic), which is what a rule pays for
/// on clean code. About one file in ten has one finding. Most real code has no finding, so this is the profile the
/// speed budget is about (docs/architecture.md, "Speed").
/// </summary>
public static class CleanProjectGenerator
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data.Common;
        using System.IO;
        using System.Linq;
        using System.Net.Http;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.EntityFrameworkCore;

        """;

    private static readonly string[] Members =
    {
        """
            public async Task<List<Row>> LoadActiveAsync(CancellationToken cancellationToken)
            {
                var rows = await _db.Rows.Where(r => r.IsActive).OrderBy(r => r.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
                return Normalize(rows);
            }
        """,
        """
            public async Task<int> SaveAsync(Row row, CancellationToken cancellationToken)
            {
                Validate(row);
                _db.Rows.Add(row);
                return await _db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
        """,
        """
            public async Task<Row?> FindAsync(int id, CancellationToken cancellationToken)
            {
                var row = await _db.Rows.FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
                return row is null ? null : Touch(row);
            }
        """,
        """
            public async Task<IReadOnlyList<Row>> QueryByNameAsync(string name, CancellationToken cancellationToken)
            {
                var sql = BuildSelect("Name = @name");
                var rows = await _connection.QueryAsync<Row>(new CommandDefinition(sql, new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return rows.Where(r => Matches(r, name)).ToList();
            }
        """,
        """
            public async Task<long> CountRowsAsync(CancellationToken cancellationToken)
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = BuildCount();
                var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return ToInt64(result);
            }
        """,
        """
            public async Task<List<string>> ReadNamesAsync(CancellationToken cancellationToken)
            {
                var names = new List<string>();
                await using var command = _connection.CreateCommand();
                command.CommandText = BuildSelect("IsActive = 1");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    names.Add(Clean(reader.GetString(1)));
                }

                return names;
            }
        """,
        """
            public async Task<int> CopyAsync(Stream source, Stream target, CancellationToken cancellationToken)
            {
                var buffer = new byte[BufferSize(4096)];
                var total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    Checksum(buffer, read);
                    await target.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                    total = Add(total, read);
                }

                return total;
            }
        """,
        """
            public async Task<string> FetchAsync(string path, CancellationToken cancellationToken)
            {
                var url = Combine(_baseUrl, path);
                var text = await _http.GetStringAsync(url, cancellationToken).ConfigureAwait(false);
                return Clean(text);
            }
        """,
        """
            public async Task<string> DescribeAsync(int id, CancellationToken cancellationToken)
            {
                var row = await FindAsync(id, cancellationToken).ConfigureAwait(false);
                var names = await ReadNamesAsync(cancellationToken).ConfigureAwait(false);
                return Format(row, names.Count);
            }
        """,
        """
            public async Task RefreshAsync(CancellationToken cancellationToken)
            {
                var rows = await LoadActiveAsync(cancellationToken).ConfigureAwait(false);
                foreach (var row in rows)
                {
                    _cache[row.Id] = Touch(row);
                }

                await Task.WhenAll(rows.Select(r => WarmAsync(r, cancellationToken))).ConfigureAwait(false);
            }
        """,
        """
            private async Task WarmAsync(Row row, CancellationToken cancellationToken)
            {
                await Task.Yield();
                _cache[row.Id] = Touch(row);
                cancellationToken.ThrowIfCancellationRequested();
            }
        """,
        """
            public async ValueTask<decimal> TotalAsync(CancellationToken cancellationToken)
            {
                decimal total = 0;
                await foreach (var row in _db.Rows.AsAsyncEnumerable().WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    total = Add(total, row.Amount);
                }

                return Round(total);
            }
        """,
        """
            public string Summary()
            {
                var builder = new StringBuilder();
                foreach (var pair in _cache.OrderBy(p => p.Key))
                {
                    builder.Append(Format(pair.Value, pair.Key)).Append(';');
                }

                return Clean(builder.ToString());
            }
        """,
        """
            private static List<Row> Normalize(List<Row> rows)
            {
                foreach (var row in rows)
                {
                    row.Name = Clean(row.Name);
                }

                return rows.Where(r => r.Amount >= 0).ToList();
            }
        """,
    };

    private const string Helpers = """
            private static void Validate(Row row)
            {
                if (string.IsNullOrEmpty(row.Name))
                {
                    throw new ArgumentException("name", nameof(row));
                }
            }

            private static Row Touch(Row row)
            {
                row.CreatedAt = row.CreatedAt == default ? DateTime.UnixEpoch : row.CreatedAt;
                return row;
            }

            private static bool Matches(Row row, string name) => string.Equals(Clean(row.Name), Clean(name), StringComparison.OrdinalIgnoreCase);

            private static string Clean(string text) => text.Trim().Replace("\t", " ");

            private static string BuildSelect(string where) => "select Id, Name, Amount, IsActive, CreatedAt from Rows where " + where;

            private static string BuildCount() => "select count(*) from Rows";

            private static long ToInt64(object? value) => value is null ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

            private static int BufferSize(int wanted) => Math.Max(512, Math.Min(wanted, 1 << 16));

            private static int Checksum(byte[] buffer, int count)
            {
                var sum = 0;
                for (var i = 0; i < count; i++)
                {
                    sum = unchecked(sum * 31 + buffer[i]);
                }

                return sum;
            }

            private static int Add(int a, int b) => a + b;

            private static decimal Add(decimal a, decimal b) => a + b;

            private static decimal Round(decimal value) => Math.Round(value, 2);

            private static string Combine(string a, string b) => a.TrimEnd('/') + "/" + b.TrimStart('/');

            private static string Format(Row? row, int count) => (row?.Name ?? "none") + ":" + count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        """;

    /// <summary>The findings sprinkled over the project, one in about every tenth file.</summary>
    private static readonly string[] Findings =
    {
        """
            public async Task<int> CountAllAsync(CancellationToken cancellationToken)
            {
                await Task.Yield();
                return _db.Rows.Count();
            }
        """,
        """
            public Task<List<Row>> AllAsync() => Task.Run(() => _db.Rows.ToList());
        """,
        """
            public int CountNow() => _db.Rows.CountAsync().Result;
        """,
    };

    /// <summary>A project of exactly <paramref name="fileCount"/> files (at least 2).</summary>
    public static RobustnessInput Generate(int fileCount, int seed)
    {
        fileCount = Math.Max(2, fileCount);
        var random = new Random(seed);
        var documents = ImmutableArray.CreateBuilder<InputDocument>(fileCount);
        documents.Add(new InputDocument("Data/LibraryDbContext.cs", Usings + """
            namespace Generated.Library
            {
                public sealed class Row
                {
                    public int Id { get; set; }
                    public string Name { get; set; } = "";
                    public decimal Amount { get; set; }
                    public bool IsActive { get; set; }
                    public DateTime CreatedAt { get; set; }
                }

                public sealed class LibraryDbContext : DbContext
                {
                    public LibraryDbContext(DbContextOptions<LibraryDbContext> options) : base(options) { }
                    public DbSet<Row> Rows => Set<Row>();
                }
            }
            """));
        for (var i = 1; documents.Count < fileCount; i++)
        {
            var name = "Store" + i.ToString(CultureInfo.InvariantCulture);
            var text = new StringBuilder(Usings);
            text.AppendLine("namespace Generated.Library");
            text.AppendLine("{");
            text.AppendLine($"    public sealed class {name}");
            text.AppendLine("    {");
            text.AppendLine("        private readonly LibraryDbContext _db;");
            text.AppendLine("        private readonly DbConnection _connection;");
            text.AppendLine("        private readonly HttpClient _http;");
            text.AppendLine("        private readonly string _baseUrl;");
            text.AppendLine("        private readonly Dictionary<int, Row> _cache = new Dictionary<int, Row>();");
            text.AppendLine();
            text.AppendLine($"        public {name}(LibraryDbContext db, DbConnection connection, HttpClient http, string baseUrl)");
            text.AppendLine("        {");
            text.AppendLine("            _db = db; _connection = connection; _http = http; _baseUrl = baseUrl;");
            text.AppendLine("        }");
            foreach (var member in Members)
            {
                text.AppendLine();
                text.AppendLine(Indent(member));
            }

            if (random.Next(10) == 0)
            {
                text.AppendLine();
                text.AppendLine(Indent(Findings[random.Next(Findings.Length)]));
            }

            text.AppendLine();
            text.AppendLine(Indent(Helpers));
            text.AppendLine("    }");
            text.AppendLine("}");
            documents.Add(new InputDocument($"Library/{name}.cs", text.ToString()));
        }

        return new RobustnessInput($"generated library, mostly clean ({fileCount} files, seed {seed})", InputOrigin.Generated, documents.MoveToImmutable());
    }

    private static string Indent(string member)
        => string.Join("\n", member.Replace("\r\n", "\n").Split('\n').Select(line => line.Length == 0 ? line : "    " + line));
}
