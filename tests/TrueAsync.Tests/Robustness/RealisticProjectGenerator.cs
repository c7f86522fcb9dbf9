using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// Generates a project of realistic data-access code: one <c>DbContext</c> with its entities, then per
/// entity an EF Core repository, a Dapper repository, an ADO.NET repository and a service. Each class
/// draws its methods from templates (seeded), a mix of fake async (<c>Task.Run</c> around blocking
/// calls, <c>Task.FromResult</c> over blocking work), sync over async (<c>.Result</c>, <c>.Wait()</c>,
/// <c>GetAwaiter().GetResult()</c>), blocking calls in async code, and code that is correct or must
/// stay silent (true async, in-memory LINQ, <c>Add</c>, <c>MemoryStream</c>, a task already awaited).
/// The code compiles without errors at C# 8 and later against net8.0 with the data libraries.
/// </summary>
public static class RealisticProjectGenerator
{
    private static readonly string[] BaseNames =
    {
        "Customer", "Order", "Product", "Invoice", "Shipment", "Supplier", "Employee", "Ticket", "Payment", "Review",
        "Warehouse", "Coupon", "Booking", "Vehicle", "Patient", "Course", "Vendor", "Contract", "Device", "Article",
    };

    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Data.Common;
        using System.IO;
        using System.Linq;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.EntityFrameworkCore;

        """;

    /// <summary>A project of exactly <paramref name="fileCount"/> files (at least 2).</summary>
    public static RobustnessInput Generate(int fileCount, int seed)
    {
        fileCount = Math.Max(2, fileCount);
        var kinds = new Func<string, Random, string>[] { EfRepository, DapperRepository, AdoRepository, Service };
        var entityCount = (fileCount - 1 + kinds.Length - 1) / kinds.Length;
        var entities = Enumerable.Range(0, entityCount)
            .Select(i => BaseNames[i % BaseNames.Length] + (i < BaseNames.Length ? string.Empty : (i / BaseNames.Length + 1).ToString(CultureInfo.InvariantCulture)))
            .ToArray();

        var documents = ImmutableArray.CreateBuilder<InputDocument>(fileCount);
        documents.Add(new InputDocument("Data/AppDbContext.cs", Context(entities)));
        var random = new Random(seed);
        for (var i = 0; documents.Count < fileCount; i++)
        {
            var entity = entities[i / kinds.Length];
            var kind = kinds[i % kinds.Length];
            var text = kind(entity, random);
            var folder = kind.Method.Name;
            documents.Add(new InputDocument($"{folder}/{entity}{folder}.cs", text));
        }

        return new RobustnessInput($"generated project ({fileCount} files, seed {seed})", InputOrigin.Generated, documents.MoveToImmutable());
    }

    private static string Context(IReadOnlyList<string> entities)
    {
        var text = new StringBuilder(Usings);
        text.AppendLine("namespace Generated.Data");
        text.AppendLine("{");
        text.AppendLine("    public sealed class AppDbContext : DbContext");
        text.AppendLine("    {");
        text.AppendLine("        public AppDbContext(DbContextOptions<AppDbContext> options) : base(options) { }");
        foreach (var entity in entities)
        {
            text.AppendLine($"        public DbSet<{entity}> {entity}Records => Set<{entity}>();");
        }

        text.AppendLine("    }");
        foreach (var entity in entities)
        {
            text.AppendLine(Fill("""

                    public sealed class __E__
                    {
                        public int Id { get; set; }
                        public string Name { get; set; } = "";
                        public decimal Amount { get; set; }
                        public bool IsActive { get; set; }
                        public DateTime CreatedAt { get; set; }
                    }
                """, entity));
        }

        text.AppendLine("}");
        return text.ToString();
    }

    private static string EfRepository(string entity, Random random) => Class(entity, random, "Generated.Data.Ef", "__E__EfRepository", """
            private readonly AppDbContext _db;
            private readonly List<__E__> _cache = new List<__E__>();
            private readonly object _gate = new object();

            public __E__EfRepository(AppDbContext db) => _db = db;

            public List<__E__> LoadAll()
            {
                return _db.__E__Records.AsNoTracking().ToList();
            }

            public async Task<List<__E__>> LoadAllAsync(CancellationToken cancellationToken = default)
            {
                return await _db.__E__Records.AsNoTracking().ToListAsync(cancellationToken);
            }
        """, new[]
    {
        // Fake async: Task.Run around a blocking query.
        """
            public Task<List<__E__>> GetAllAsync()
            {
                return Task.Run(() => _db.__E__Records.ToList());
            }
        """,
        """
            public async Task<__E__?> FindAsync(int id)
            {
                return await Task.Run(() => _db.__E__Records.Find(id));
            }
        """,
        """
            public async Task<int> CountExpensiveAsync(decimal limit)
            {
                var count = await Task.Run(() => _db.__E__Records.Where(e => e.Amount > limit).Count());
                return count;
            }
        """,
        // Fake async: blocking work, then a finished task.
        """
            public Task<int> CountActiveAsync()
            {
                var count = _db.__E__Records.Count(e => e.IsActive);
                return Task.FromResult(count);
            }
        """,
        """
            public Task AddAndSaveAsync(__E__ entity)
            {
                _db.__E__Records.Add(entity);
                _db.SaveChanges();
                return Task.CompletedTask;
            }
        """,
        """
            public Task<__E__?> FirstByNameAsync(string name) => Task.FromResult(_db.__E__Records.FirstOrDefault(e => e.Name == name));
        """,
        // Blocking calls in async code.
        """
            public async Task RenameAsync(int id, string name, CancellationToken cancellationToken)
            {
                var entity = await _db.__E__Records.FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
                if (entity == null)
                {
                    return;
                }

                entity.Name = name;
                _db.SaveChanges();
            }
        """,
        """
            public async Task<decimal> SumAmountsAsync()
            {
                decimal total = 0;
                foreach (var entity in _db.__E__Records.Where(e => e.Amount > 0))
                {
                    total += entity.Amount;
                }

                await Task.Yield();
                return total;
            }
        """,
        """
            public async Task<bool> AnyInactiveAsync(CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
                return _db.__E__Records.Any(e => !e.IsActive);
            }
        """,
        // Sync over async.
        """
            public int CountAll()
            {
                return _db.__E__Records.CountAsync().Result;
            }
        """,
        """
            public __E__? GetFirst()
            {
                return _db.__E__Records.OrderBy(e => e.Id).FirstOrDefaultAsync().GetAwaiter().GetResult();
            }
        """,
        """
            public void Save()
            {
                _db.SaveChangesAsync().Wait();
            }
        """,
        // Correct or silent.
        """
            public async Task<List<__E__>> GetActiveAsync(CancellationToken cancellationToken)
            {
                return await _db.__E__Records.Where(e => e.IsActive).OrderBy(e => e.Name).ToListAsync(cancellationToken);
            }
        """,
        """
            public async Task<int> CreateAsync(__E__ entity, CancellationToken cancellationToken)
            {
                _db.__E__Records.Add(entity);
                return await _db.SaveChangesAsync(cancellationToken);
            }
        """,
        """
            public async Task<List<__E__>> GetCachedAsync(CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
                lock (_gate)
                {
                    return _cache.Where(e => e.IsActive).ToList();
                }
            }
        """,
        """
            public async Task<int> CountCachedAsync()
            {
                await Task.Yield();
                return _cache.AsQueryable().Where(e => e.Amount > 10m).ToList().Count;
            }
        """,
        """
            public async Task<int> CountTwiceAsync()
            {
                var task = _db.__E__Records.CountAsync();
                await task;
                return task.Result;
            }
        """,
    });

    private static string DapperRepository(string entity, Random random) => Class(entity, random, "Generated.Data.Dapper", "__E__DapperRepository", """
            private const string SelectAll = "select Id, Name, Amount, IsActive, CreatedAt from __E__";
            private readonly DbConnection _connection;
            private readonly IDbConnection _legacy;

            public __E__DapperRepository(DbConnection connection, IDbConnection legacy)
            {
                _connection = connection;
                _legacy = legacy;
            }

            public IEnumerable<__E__> All() => _connection.Query<__E__>(SelectAll);
        """, new[]
    {
        """
            public async Task<__E__?> GetAsync(int id)
            {
                return await Task.Run(() => _connection.QueryFirstOrDefault<__E__>(SelectAll + " where Id = @id", new { id }));
            }
        """,
        """
            public Task<List<__E__>> ListAsync() => Task.Run(() => _connection.Query<__E__>(SelectAll).ToList());
        """,
        """
            public async Task<__E__?> GetByNameAsync(string name)
            {
                await _connection.OpenAsync();
                return _connection.QuerySingleOrDefault<__E__>(SelectAll + " where Name = @name", new { name });
            }
        """,
        """
            public async Task<int> DeactivateAsync(int id)
            {
                await Task.Yield();
                return _legacy.Execute("update __E__ set IsActive = 0 where Id = @id", new { id });
            }
        """,
        """
            public int Delete(int id)
            {
                return _connection.ExecuteAsync("delete from __E__ where Id = @id", new { id }).Result;
            }
        """,
        """
            public Task<int> CountAsync() => Task.FromResult(_connection.ExecuteScalar<int>("select count(*) from __E__"));
        """,
        """
            public async Task<List<__E__>> ListActiveAsync(CancellationToken cancellationToken)
            {
                var rows = await _connection.QueryAsync<__E__>(new CommandDefinition(SelectAll + " where IsActive = 1", cancellationToken: cancellationToken));
                return rows.ToList();
            }
        """,
        """
            public async Task<int> InsertAsync(__E__ entity)
            {
                return await _connection.ExecuteAsync("insert into __E__ (Name, Amount) values (@Name, @Amount)", entity);
            }
        """,
    });

    private static string AdoRepository(string entity, Random random) => Class(entity, random, "Generated.Data.Ado", "__E__AdoRepository", """
            private readonly DbConnection _connection;

            public __E__AdoRepository(DbConnection connection) => _connection = connection;

            public int CountRows()
            {
                using (var command = _connection.CreateCommand())
                {
                    command.CommandText = "select count(*) from __E__";
                    return Convert.ToInt32(command.ExecuteScalar());
                }
            }
        """, new[]
    {
        """
            public async Task<List<string>> ReadNamesAsync()
            {
                var names = new List<string>();
                using (var command = _connection.CreateCommand())
                {
                    command.CommandText = "select Name from __E__";
                    using (var reader = await command.ExecuteReaderAsync())
                    {
                        while (await Task.Run(() => reader.Read()))
                        {
                            names.Add(reader.GetString(0));
                        }
                    }
                }

                return names;
            }
        """,
        """
            public async Task<int> DeactivateAsync(int id, CancellationToken cancellationToken)
            {
                await _connection.OpenAsync(cancellationToken);
                using (var command = _connection.CreateCommand())
                {
                    command.CommandText = "update __E__ set IsActive = 0 where Id = @id";
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "id";
                    parameter.Value = id;
                    command.Parameters.Add(parameter);
                    return command.ExecuteNonQuery();
                }
            }
        """,
        """
            public async Task<object?> ScalarAsync(string sql)
            {
                await Task.Yield();
                IDbCommand command = _connection.CreateCommand();
                command.CommandText = sql;
                return command.ExecuteScalar();
            }
        """,
        """
            public async Task<List<int>> ReadIdsAsync(CancellationToken cancellationToken)
            {
                var ids = new List<int>();
                using (var command = _connection.CreateCommand())
                {
                    command.CommandText = "select Id from __E__";
                    using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                    {
                        while (await reader.ReadAsync(cancellationToken))
                        {
                            ids.Add(reader.GetInt32(0));
                        }
                    }
                }

                return ids;
            }
        """,
        """
            public async Task MoveAsync(int id, decimal amount)
            {
                await _connection.OpenAsync();
                using (var transaction = _connection.BeginTransaction())
                {
                    using (var command = _connection.CreateCommand())
                    {
                        command.Transaction = transaction;
                        command.CommandText = "update __E__ set Amount = Amount + " + amount + " where Id = " + id;
                        await command.ExecuteNonQueryAsync();
                    }

                    transaction.Commit();
                }
            }
        """,
        """
            public Task<int> PurgeAsync()
            {
                using (var command = _connection.CreateCommand())
                {
                    command.CommandText = "delete from __E__ where IsActive = 0";
                    return Task.FromResult(command.ExecuteNonQuery());
                }
            }
        """,
        """
            public bool Exists(int id)
            {
                using (var command = _connection.CreateCommand())
                {
                    command.CommandText = "select 1 from __E__ where Id = " + id;
                    return command.ExecuteScalarAsync().GetAwaiter().GetResult() != null;
                }
            }
        """,
    });

    private static string Service(string entity, Random random) => Class(entity, random, "Generated.Services", "__E__Service", """
            private readonly Generated.Data.Ef.__E__EfRepository _repository;
            private readonly HttpClient _http;

            public __E__Service(Generated.Data.Ef.__E__EfRepository repository, HttpClient http)
            {
                _repository = repository;
                _http = http;
            }
        """, new[]
    {
        // The project's own blocking method, with an async twin.
        """
            public async Task<int> CountLoadedAsync()
            {
                var all = _repository.LoadAll();
                await Task.Yield();
                return all.Count;
            }
        """,
        """
            public Task<List<__E__>> LoadInBackgroundAsync() => Task.Factory.StartNew(() => _repository.LoadAll());
        """,
        """
            public ValueTask<int> CountValueAsync() => new ValueTask<int>(_repository.LoadAll().Count);
        """,
        """
            public string Download(string url)
            {
                return _http.GetStringAsync(url).Result;
            }
        """,
        """
            public void WarmUp(CancellationToken cancellationToken)
            {
                var first = _repository.LoadAllAsync(cancellationToken);
                var second = _http.GetStringAsync("https://example.invalid/" + nameof(__E__));
                Task.WaitAll(first, second);
            }
        """,
        """
            public async Task<string> ReadTemplateAsync(string path)
            {
                Thread.Sleep(10);
                var text = File.ReadAllText(path);
                await Task.Yield();
                return text;
            }
        """,
        """
            public Task<string> ReadConfigAsync(string path) => Task.FromResult(File.ReadAllText(path));
        """,
        """
            public async Task<int> RetryAsync()
            {
                Func<Task<int>> attempt = async () =>
                {
                    Thread.Sleep(5);
                    var items = await _repository.LoadAllAsync();
                    return items.Count;
                };
                return await attempt();
            }
        """,
        """
            public async Task<int> LocalAsync(string path)
            {
                return await ReadLengthAsync();

                async Task<int> ReadLengthAsync()
                {
                    await Task.Yield();
                    return File.ReadAllBytes(path).Length;
                }
            }
        """,
        """
            public async Task<(int, string)> BothAsync(string url, CancellationToken cancellationToken)
            {
                var items = _repository.LoadAllAsync(cancellationToken);
                var page = _http.GetStringAsync(url, cancellationToken);
                await Task.WhenAll(items, page);
                return (items.Result.Count, page.Result);
            }
        """,
        """
            public async Task<long> CopyAsync(Stream source, CancellationToken cancellationToken)
            {
                using (var buffer = new MemoryStream())
                {
                    await source.CopyToAsync(buffer, 81920, cancellationToken);
                    buffer.Position = 0;
                    var reader = new StreamReader(buffer);
                    Console.WriteLine(reader.ReadToEnd().Length);
                    return buffer.Length;
                }
            }
        """,
        """
            public async Task<int> ActiveCountAsync(CancellationToken cancellationToken)
            {
                var items = await _repository.LoadAllAsync(cancellationToken);
                return items.Where(e => e.IsActive).Select(e => e.Id).Distinct().Count();
            }
        """,
    });

    /// <summary>A class with its fixed members and about half of the templates, chosen by <paramref name="random"/>.</summary>
    private static string Class(string entity, Random random, string ns, string name, string fixedMembers, string[] templates)
    {
        var chosen = templates.Where(_ => random.Next(100) < 55).ToList();
        if (chosen.Count == 0)
        {
            chosen.Add(templates[random.Next(templates.Length)]);
        }

        var text = new StringBuilder(Usings);
        text.AppendLine("using Generated.Data;");
        text.AppendLine();
        text.AppendLine("namespace " + ns);
        text.AppendLine("{");
        text.AppendLine("    public sealed class " + name);
        text.AppendLine("    {");
        text.AppendLine(Indent(fixedMembers));
        foreach (var template in chosen)
        {
            text.AppendLine();
            text.AppendLine(Indent(template));
        }

        text.AppendLine("    }");
        text.AppendLine("}");
        return Fill(text.ToString(), entity);
    }

    private static string Indent(string member)
        => string.Join("\n", member.Replace("\r\n", "\n").Split('\n').Select(line => line.Length == 0 ? line : "    " + line));

    private static string Fill(string template, string entity) => template.Replace("__E__", entity);
}
