using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;
using VerifyFakeAsync = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.FakeAsyncMethodAnalyzer,
    TrueAsync.CodeFixes.Rules.FakeAsyncMethodFixer>;
using VerifyTaskRun = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer,
    TrueAsync.CodeFixes.Rules.TaskRunWrapperFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// TA0003 and TA0001 on ADO.NET interfaces whose receiver's runtime type is unknown (an injected <c>IDbConnection</c>
/// field, an <c>IDbCommand</c> parameter): the receiver is cast to its <c>Db*</c> base class.
/// </summary>
public sealed class AdoInterfaceFixTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Data.Common;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static string Code(string members) => Usings + "public sealed class Repository\n{\n    private readonly IDbConnection _connection;\n    public Repository(IDbConnection connection) => _connection = connection;\n    public IDbConnection Connection => _connection;\n\n" + members + "\n}\n";

    private static Task VerifyFixAsync(string members, string fixedMembers) => Verify.VerifyCodeFixAsync(Code(members), Code(fixedMembers));

    [Fact]
    public Task OpenOnField_IsCastToDbConnection()
        => VerifyFixAsync(
            """
                public async Task OpenAsync(CancellationToken ct)
                {
                    _connection.[|Open()|];
                    await Task.Yield();
                }
            """,
            """
                public async Task OpenAsync(CancellationToken ct)
                {
                    await ((DbConnection)_connection).OpenAsync(ct);
                    await Task.Yield();
                }
            """);

    [Fact]
    public Task CloseOnProperty_IsCastToDbConnection()
        => VerifyFixAsync(
            """
                public async Task CloseAsync()
                {
                    Connection.[|Close()|];
                    await Task.Yield();
                }
            """,
            """
                public async Task CloseAsync()
                {
                    await ((DbConnection)Connection).CloseAsync();
                    await Task.Yield();
                }
            """);

    [Fact]
    public Task ExecuteNonQueryAndScalarOnParameter_AreCastToDbCommand()
        => VerifyFixAsync(
            """
                public async Task<object?> RunAsync(IDbCommand command, CancellationToken ct)
                {
                    command.[|ExecuteNonQuery()|];
                    var affected = command.[|ExecuteNonQuery()|] + 1;
                    return command.[|ExecuteScalar()|];
                }
            """,
            """
                public async Task<object?> RunAsync(IDbCommand command, CancellationToken ct)
                {
                    await ((DbCommand)command).ExecuteNonQueryAsync(ct);
                    var affected = await ((DbCommand)command).ExecuteNonQueryAsync(ct) + 1;
                    return await ((DbCommand)command).ExecuteScalarAsync(ct);
                }
            """);

    [Fact]
    public Task ReadOnReaderParameter_IsCastToDbDataReader()
        => VerifyFixAsync(
            """
                public async Task<int> CountAsync(IDataReader reader)
                {
                    var n = 0;
                    while (reader.[|Read()|])
                    {
                        n++;
                    }

                    return n;
                }
            """,
            """
                public async Task<int> CountAsync(IDataReader reader)
                {
                    var n = 0;
                    while (await ((DbDataReader)reader).ReadAsync())
                    {
                        n++;
                    }

                    return n;
                }
            """);

    [Fact]
    public Task CommitAndRollbackOnTransactionParameter_AreCastToDbTransaction()
        => VerifyFixAsync(
            """
                public async Task FinishAsync(IDbTransaction transaction, bool ok, CancellationToken ct)
                {
                    if (ok)
                    {
                        transaction.[|Commit()|];
                    }
                    else
                    {
                        transaction.[|Rollback()|];
                    }

                    await Task.Yield();
                }
            """,
            """
                public async Task FinishAsync(IDbTransaction transaction, bool ok, CancellationToken ct)
                {
                    if (ok)
                    {
                        await ((DbTransaction)transaction).CommitAsync(ct);
                    }
                    else
                    {
                        await ((DbTransaction)transaction).RollbackAsync(ct);
                    }

                    await Task.Yield();
                }
            """);

    // The reader local declared with var becomes a DbDataReader: one fix at a time, its Read() is then DbDataReader's
    // and awaits ReadAsync without a cast; Fix All fixes both sites from the original code, where Read() was still
    // IDataReader's, so it casts. Both compile.
    [Fact]
    public Task ReaderDeclaredWithVar_TakesTheDerivedTypeAndAwaitUsing()
    {
        var test = new Verify.Test
        {
            TestCode = Code("""
                    public async Task<List<string>> NamesAsync(CancellationToken ct)
                    {
                        using var command = _connection.CreateCommand();
                        command.CommandText = "select name from items";
                        using var reader = command.[|ExecuteReader()|];
                        var names = new List<string>();
                        while (reader.[|Read()|])
                        {
                            names.Add(reader.GetString(0));
                        }

                        return names;
                    }
                """),
            FixedCode = Code("""
                    public async Task<List<string>> NamesAsync(CancellationToken ct)
                    {
                        using var command = _connection.CreateCommand();
                        command.CommandText = "select name from items";
                        await using var reader = await ((DbCommand)command).ExecuteReaderAsync(ct);
                        var names = new List<string>();
                        while (await reader.ReadAsync(ct))
                        {
                            names.Add(reader.GetString(0));
                        }

                        return names;
                    }
                """),
            BatchFixedCode = Code("""
                    public async Task<List<string>> NamesAsync(CancellationToken ct)
                    {
                        using var command = _connection.CreateCommand();
                        command.CommandText = "select name from items";
                        await using var reader = await ((DbCommand)command).ExecuteReaderAsync(ct);
                        var names = new List<string>();
                        while (await ((DbDataReader)reader).ReadAsync(ct))
                        {
                            names.Add(reader.GetString(0));
                        }

                        return names;
                    }
                """),
        };
        return test.RunAsync();
    }

    [Fact]
    public Task ReaderInUsingStatementWithVar_BecomesAwaitUsing()
        => VerifyFixAsync(
            """
                public async Task<object?> FirstAsync(IDbCommand command)
                {
                    using (var reader = command.[|ExecuteReader(CommandBehavior.SingleRow)|])
                    {
                        return reader.GetValue(0);
                    }
                }
            """,
            """
                public async Task<object?> FirstAsync(IDbCommand command)
                {
                    await using (var reader = await ((DbCommand)command).ExecuteReaderAsync(CommandBehavior.SingleRow))
                    {
                        return reader.GetValue(0);
                    }
                }
            """);

    // The declared type stays IDataReader, which is not IAsyncDisposable: the using stays a plain using.
    [Fact]
    public Task ReaderDeclaredWithInterfaceType_KeepsPlainUsing()
        => VerifyFixAsync(
            """
                public async Task<object?> FirstAsync(IDbCommand command)
                {
                    using IDataReader reader = command.[|ExecuteReader()|];
                    return reader.GetValue(0);
                }
            """,
            """
                public async Task<object?> FirstAsync(IDbCommand command)
                {
                    using IDataReader reader = await ((DbCommand)command).ExecuteReaderAsync();
                    return reader.GetValue(0);
                }
            """);

    [Fact]
    public Task TransactionDeclaredWithVar_BecomesDbTransaction()
        => VerifyFixAsync(
            """
                public async Task SaveAsync(string sql)
                {
                    using var transaction = _connection.[|BeginTransaction()|];
                    using var command = _connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    await Task.Yield();
                }
            """,
            """
                public async Task SaveAsync(string sql)
                {
                    await using var transaction = await ((DbConnection)_connection).BeginTransactionAsync();
                    using var command = _connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql;
                    await Task.Yield();
                }
            """);

    // A var local that is assigned again would need its old type: no fix.
    [Fact]
    public Task ReaderWithVarAssignedAgain_IsReportedWithoutFix()
    {
        var source = Code("""
                public async Task<bool> M(IDbCommand command, IDataReader other)
                {
                    var reader = command.[|ExecuteReader()|];
                    reader = other;
                    await Task.Yield();
                    return reader.FieldCount > 0;
                }
            """);
        return new Verify.Test { TestCode = source, FixedCode = source }.RunAsync();
    }

    [Fact]
    public Task ReaderWithVarMeetingAnotherReaderInConditional_IsReportedWithoutFix()
    {
        var source = Code("""
                public async Task<IDataReader> M(IDbCommand command, IDataReader other, bool first)
                {
                    var reader = command.[|ExecuteReader()|];
                    await Task.Yield();
                    return first ? reader : other;
                }
            """);
        return new Verify.Test { TestCode = source, FixedCode = source }.RunAsync();
    }

    // A type parameter cannot be cast to DbConnection (CS0030).
    [Fact]
    public Task TypeParameterReceiver_IsReportedWithoutFix()
    {
        var source = Code("""
                public async Task M<TConnection>(TConnection connection) where TConnection : IDbConnection
                {
                    connection.[|Open()|];
                    await Task.Yield();
                }
            """);
        return new Verify.Test { TestCode = source, FixedCode = source }.RunAsync();
    }

    [Fact]
    public Task OptionFalse_WithholdsTheCast()
    {
        var source = Code("""
                public async Task M(IDbCommand command)
                {
                    command.[|ExecuteNonQuery()|];
                    await Task.Yield();
                }
            """);
        var test = new Verify.Test { TestCode = source, FixedCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*]
            trueasync.cast_ado_interfaces = false
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task FileWithoutDataCommonImport_GetsTheImport()
        => Verify.VerifyCodeFixAsync(
            """
            using System.Data;
            using System.Threading.Tasks;

            public static class Commands
            {
                public static async Task<int> RunAsync(IDbCommand command) => command.[|ExecuteNonQuery()|];
            }
            """,
            """
            using System.Data;
            using System.Data.Common;
            using System.Threading.Tasks;

            public static class Commands
            {
                public static async Task<int> RunAsync(IDbCommand command) => await ((DbCommand)command).ExecuteNonQueryAsync();
            }
            """);

    // Fix All at solution scope: two projects, each with interface-typed calls.
    [Fact]
    public Task FixAllInSolution_CastsInEveryProject()
    {
        var test = new Verify.Test
        {
            TestCode = Code("""
                    public async Task OpenAsync() { _connection.[|Open()|]; await Task.Yield(); }
                """),
            FixedCode = Code("""
                    public async Task OpenAsync() { await ((DbConnection)_connection).OpenAsync(); await Task.Yield(); }
                """),
            CodeActionEquivalenceKey = "BlockingCallFixer",
        };
        var other = new ProjectState("Other", Microsoft.CodeAnalysis.LanguageNames.CSharp, "/1/Test", "cs");
        test.TestState.AdditionalProjects.Add("Other", other);
        other.Sources.Add(Usings + """
            public static class Commands
            {
                public static async Task<int> RunAsync(IDbCommand command) => command.[|ExecuteNonQuery()|];
            }
            """);
        test.FixedState.AdditionalProjects.Add("Other", new ProjectState("Other", Microsoft.CodeAnalysis.LanguageNames.CSharp, "/1/Test", "cs"));
        test.FixedState.AdditionalProjects["Other"].Sources.Add(Usings + """
            public static class Commands
            {
                public static async Task<int> RunAsync(IDbCommand command) => await ((DbCommand)command).ExecuteNonQueryAsync();
            }
            """);
        return test.RunAsync();
    }

    // TA0001: Task.Run around an interface call is dropped and the cast counterpart awaited.
    [Fact]
    public Task TaskRunAroundInterfaceCall_IsDroppedAndCast()
        => new VerifyTaskRun.Test
        {
            TestCode = Code("""
                    public async Task<object?> CountAsync(IDbCommand command)
                    {
                        return await [|Task.Run|](() => command.ExecuteScalar());
                    }
                """),
            FixedCode = Code("""
                    public async Task<object?> CountAsync(IDbCommand command)
                    {
                        return await ((DbCommand)command).ExecuteScalarAsync();
                    }
                """),
        }.RunAsync();

    [Fact]
    public Task TaskRunAroundInterfaceOpen_IsDroppedAndCast()
        => new VerifyTaskRun.Test
        {
            TestCode = Code("""
                    public async Task OpenAsync()
                    {
                        await [|Task.Run|](() => _connection.Open());
                    }
                """),
            FixedCode = Code("""
                    public async Task OpenAsync()
                    {
                        await ((DbConnection)_connection).OpenAsync();
                    }
                """),
        }.RunAsync();

    // The reader local takes DbDataReader's type through the inlined await; its later Read() is then DbDataReader's.
    [Fact]
    public Task TaskRunAroundInterfaceReaderInVar_IsDroppedAndTheLocalCompiles()
        => new VerifyTaskRun.Test
        {
            TestCode = Code("""
                    public async Task<int> CountAsync(IDbCommand command)
                    {
                        var reader = await [|Task.Run|](() => command.ExecuteReader());
                        var n = 0;
                        while (reader.Read())
                        {
                            n++;
                        }

                        return n;
                    }
                """),
            FixedCode = Code("""
                    public async Task<int> CountAsync(IDbCommand command)
                    {
                        var reader = await ((DbCommand)command).ExecuteReaderAsync();
                        var n = 0;
                        while (reader.Read())
                        {
                            n++;
                        }

                        return n;
                    }
                """),
        }.RunAsync();

    // TA0004: Task.FromResult around an interface call.
    [Fact]
    public Task FromResultAroundInterfaceCall_BecomesAsyncAndCast()
        => new VerifyFakeAsync.Test
        {
            TestCode = Code("""
                    public Task<object?> ScalarAsync(IDbCommand command) => Task.FromResult({|TA0004:command.ExecuteScalar()|});
                """),
            FixedCode = Code("""
                    public async Task<object?> ScalarAsync(IDbCommand command) => await ((DbCommand)command).ExecuteScalarAsync();
                """),
        }.RunAsync();

    // samples/Inventory's LoanRepository.ReturnAsync: a transaction begun on the injected connection, two commands
    // enlisted in it, then a commit, in a file that does not import System.Data.Common yet. Each fix adds the import;
    // Fix All must still rewrite every call in one pass.
    [Fact]
    public Task TransactionWithCommands_FixAllRewritesEveryCallAtOnce()
        => new Verify.Test
        {
            TestCode = """
                using System.Data;
                using System.Threading.Tasks;

                public sealed class LoanRepository
                {
                    private readonly IDbConnection _connection;

                    public LoanRepository(IDbConnection connection) => _connection = connection;

                    public async Task<bool> ReturnAsync(int id)
                    {
                        await Task.Yield();
                        using var transaction = _connection.[|BeginTransaction()|];
                        using var close = _connection.CreateCommand();
                        close.Transaction = transaction;
                        close.CommandText = "update Loans set ReturnedAt = 1 where Id = 2";
                        close.[|ExecuteNonQuery()|];

                        using var restock = _connection.CreateCommand();
                        restock.Transaction = transaction;
                        restock.CommandText = "update Equipment set Quantity = Quantity + 1";
                        restock.[|ExecuteNonQuery()|];
                        transaction.[|Commit()|];
                        return true;
                    }
                }
                """,
            FixedCode = """
                using System.Data;
                using System.Data.Common;
                using System.Threading.Tasks;

                public sealed class LoanRepository
                {
                    private readonly IDbConnection _connection;

                    public LoanRepository(IDbConnection connection) => _connection = connection;

                    public async Task<bool> ReturnAsync(int id)
                    {
                        await Task.Yield();
                        await using var transaction = await ((DbConnection)_connection).BeginTransactionAsync();
                        using var close = _connection.CreateCommand();
                        close.Transaction = transaction;
                        close.CommandText = "update Loans set ReturnedAt = 1 where Id = 2";
                        await ((DbCommand)close).ExecuteNonQueryAsync();

                        using var restock = _connection.CreateCommand();
                        restock.Transaction = transaction;
                        restock.CommandText = "update Equipment set Quantity = Quantity + 1";
                        await ((DbCommand)restock).ExecuteNonQueryAsync();
                        await transaction.CommitAsync();
                        return true;
                    }
                }
                """,
            BatchFixedCode = """
                using System.Data;
                using System.Data.Common;
                using System.Threading.Tasks;

                public sealed class LoanRepository
                {
                    private readonly IDbConnection _connection;

                    public LoanRepository(IDbConnection connection) => _connection = connection;

                    public async Task<bool> ReturnAsync(int id)
                    {
                        await Task.Yield();
                        await using var transaction = await ((DbConnection)_connection).BeginTransactionAsync();
                        using var close = _connection.CreateCommand();
                        close.Transaction = transaction;
                        close.CommandText = "update Loans set ReturnedAt = 1 where Id = 2";
                        await ((DbCommand)close).ExecuteNonQueryAsync();

                        using var restock = _connection.CreateCommand();
                        restock.Transaction = transaction;
                        restock.CommandText = "update Equipment set Quantity = Quantity + 1";
                        await ((DbCommand)restock).ExecuteNonQueryAsync();
                        await ((DbTransaction)transaction).CommitAsync();
                        return true;
                    }
                }
                """,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
            NumberOfFixAllInProjectIterations = 1,
        }.RunAsync();
}
