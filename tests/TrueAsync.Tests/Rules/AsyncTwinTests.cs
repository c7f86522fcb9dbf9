using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.AsyncTwinFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>The async-twin action on TA0003 calls to own methods that block and have no async counterpart.</summary>
public sealed class AsyncTwinTests
{
    // The own-method diagnostic is reported at compilation end (non-local): dotnet format and Fix All fix it; the testing
    // library refuses fixes for non-local diagnostics unless told.
    private static Task VerifyAsync(string source, string fixedSource)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource };
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        return test.RunAsync(CancellationToken.None);
    }

    // Reported and no twin action: the code stays as it is.
    private static Task VerifyNotOfferedAsync(string source) => VerifyAsync(source, source);

    private const string Dapper = """
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using System.Threading.Tasks;
        using Dapper;

        public sealed class Equipment
        {
            public int Id { get; set; }
        }

        """;

    [Fact]
    public async Task DapperRepositoryMethod_GetsTwinAndTheCallAwaitsIt()
    {
        await VerifyAsync(
            Dapper + """
            public sealed class EquipmentRepository
            {
                private readonly IDbConnection _conn;

                public EquipmentRepository(IDbConnection conn) => _conn = conn;

                public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");
            }

            public sealed class EquipmentService
            {
                private readonly EquipmentRepository _repo;

                public EquipmentService(EquipmentRepository repo) => _repo = repo;

                public async Task<int> CountAsync()
                {
                    await Task.Yield();
                    return _repo.[|GetAll()|].Count();
                }
            }
            """,
            Dapper + """
            public sealed class EquipmentRepository
            {
                private readonly IDbConnection _conn;

                public EquipmentRepository(IDbConnection conn) => _conn = conn;

                public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");

                public async Task<IEnumerable<Equipment>> GetAllAsync() => await _conn.QueryAsync<Equipment>("select * from equipment");
            }

            public sealed class EquipmentService
            {
                private readonly EquipmentRepository _repo;

                public EquipmentService(EquipmentRepository repo) => _repo = repo;

                public async Task<int> CountAsync()
                {
                    await Task.Yield();
                    return (await _repo.GetAllAsync()).Count();
                }
            }
            """);
    }
}
