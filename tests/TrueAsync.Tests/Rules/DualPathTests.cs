using System.Threading.Tasks;
using Xunit;
using BlockingCall = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;
using SyncOverAsync = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.SyncOverAsyncAnalyzer,
    TrueAsync.CodeFixes.Rules.SyncOverAsyncFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// The dual-path idiom of libraries with a sync and an async API over one body: a flag (a bool named for it, or an
/// enum whose members mean sync and async) chooses between <c>X(…)</c> and <c>await XAsync(…)</c>. The sync path
/// is silent (TA0003), and so is a wait on a call that passes the flag as synchronous (TA0002); the async path and a
/// call with the flag on stay reported.
/// </summary>
public sealed class DualPathTests
{
    private const string Usings = """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string Behavior = """

        public enum IOBehavior { Asynchronous, Synchronous }
        """;

    private static string Code(string members) => Usings + "public sealed class C\n{\n" + members + "\n}\n" + Behavior;

    // ---------------------------------------------------------------- TA0003: the sync path is silent

    [Theory]
    [InlineData("var n = async ? await s.ReadAsync(b, 0, b.Length, ct) : s.Read(b, 0, b.Length);")]
    [InlineData("var n = !isAsync ? s.Read(b, 0, b.Length) : await s.ReadAsync(b, 0, b.Length, ct);")]
    [InlineData("if (async) await s.FlushAsync(ct); else s.Flush();")]
    [InlineData("if (async == false) { s.Flush(); } else { await s.FlushAsync(ct); }")]
    [InlineData("if (!runAsynchronously) { s.Flush(); return; } await s.FlushAsync(ct);")]
    [InlineData("if (useAsync) { await s.FlushAsync(ct); return; } s.Flush();")]
    [InlineData("if (sync) s.Flush(); else await s.FlushAsync(ct);")]
    [InlineData("if (_isAsync) await s.FlushAsync(ct); else s.Flush();")]
    [InlineData("if (behavior == IOBehavior.Synchronous) s.Flush(); else await s.FlushAsync(ct);")]
    [InlineData("var n = behavior == IOBehavior.Asynchronous ? await s.ReadAsync(b, 0, b.Length, ct) : s.Read(b, 0, b.Length);")]
    [InlineData("if (behavior != IOBehavior.Asynchronous) { s.Flush(); }")]
    [InlineData("if (behavior is IOBehavior.Synchronous) s.Flush();")]
    [InlineData("if (behavior is not IOBehavior.Asynchronous) s.Flush();")]
    public Task BlockingCallOnSyncPath_DoesNotReport(string statement)
        => BlockingCall.VerifyAnalyzerAsync(Code(
            """
                private readonly bool _isAsync;
                async Task M(Stream s, byte[] b, bool async, bool isAsync, bool runAsynchronously, bool useAsync, bool sync, IOBehavior behavior, CancellationToken ct)
                {
                    
            """ + statement + """

                }
            """));

    [Theory]
    // The async path itself blocks.
    [InlineData("if (async) { s.[|Flush()|]; await s.FlushAsync(ct); } else s.Flush();")]
    [InlineData("var n = async ? s.[|Read(b, 0, b.Length)|] : s.Read(b, 0, b.Length);")]
    [InlineData("if (behavior == IOBehavior.Asynchronous) s.[|Flush()|]; else s.Flush();")]
    [InlineData("if (!async) { s.Flush(); return; } s.[|Flush()|];")]
    // Not a flag: the name says nothing about sync or async.
    [InlineData("if (verbose) s.[|Flush()|]; else await s.FlushAsync(ct);")]
    // Not a flag test: the false side of 'async && verbose' is not the sync path.
    [InlineData("if (async && verbose) await s.FlushAsync(ct); else s.[|Flush()|];")]
    // After an 'if (async)' that does not always leave.
    [InlineData("if (async) { await s.FlushAsync(ct); } s.[|Flush()|];")]
    public Task BlockingCallOnAsyncPathOrWithoutFlag_Reports(string statement)
        => BlockingCall.VerifyAnalyzerAsync(Code(
            """
                async Task M(Stream s, byte[] b, bool async, bool verbose, IOBehavior behavior, CancellationToken ct)
                {
                    
            """ + statement + """

                }
            """));

    // ---------------------------------------------------------------- TA0002: a wait on the sync path's task is silent

    private const string Body = """
            Task FlushCore(bool async) => async ? Task.Delay(1) : Task.CompletedTask;
            ValueTask<int> ReadCore(bool isAsync, CancellationToken ct = default) => new(1);
            ValueTask<int> ReadCore(IOBehavior ioBehavior) => new(1);
            Task WriteCore(bool runSynchronously) => Task.CompletedTask;
            Task CopyCore(bool force) => Task.Delay(1);
            const bool Synchronously = false;
        """;

    [Theory]
    [InlineData("FlushCore(false).GetAwaiter().GetResult();")]
    [InlineData("FlushCore(async: false).Wait();")]
    [InlineData("FlushCore(Synchronously).ConfigureAwait(false).GetAwaiter().GetResult();")]
    [InlineData("_ = ReadCore(isAsync: false).Result;")]
    [InlineData("_ = ReadCore(ct: CancellationToken.None, isAsync: false).GetAwaiter().GetResult();")]
    [InlineData("_ = ReadCore(IOBehavior.Synchronous).GetAwaiter().GetResult();")]
    [InlineData("WriteCore(runSynchronously: true).GetAwaiter().GetResult();")]
    public Task WaitOnCallWithFlagOff_DoesNotReport(string statement)
        => SyncOverAsync.VerifyAnalyzerAsync(Code(Body + "\n    void M()\n    {\n        " + statement + "\n    }"));

    [Fact]
    public Task WaitOnConditionalOfCallsWithFlagOff_DoesNotReport()
        => SyncOverAsync.VerifyAnalyzerAsync(Code(Body + """

                void M(bool schemaOnly) => (schemaOnly ? FlushCore(false) : WriteCore(runSynchronously: true)).GetAwaiter().GetResult();
            """));

    [Fact]
    public Task WaitOnConditionalWithOneAsyncCall_Reports()
        => SyncOverAsync.VerifyAnalyzerAsync(Code(Body + """

                void M(bool schemaOnly) => [|(schemaOnly ? FlushCore(false) : FlushCore(true)).GetAwaiter().GetResult()|];
            """));

    [Theory]
    [InlineData("if (async) await pending; else pending.GetAwaiter().GetResult();")]
    [InlineData("if (!async) { pending.Wait(); return; } await pending;")]
    [InlineData("if (behavior == IOBehavior.Synchronous) pending.GetAwaiter().GetResult(); else await pending;")]
    public Task WaitOnSyncPath_DoesNotReport(string statement)
        => SyncOverAsync.VerifyAnalyzerAsync(Code(
            """
                async Task M(Task pending, bool async, IOBehavior behavior)
                {
                    
            """ + statement + """

                }
            """));

    [Theory]
    [InlineData("if (async) [|pending.GetAwaiter().GetResult()|]; else pending.Wait();")]
    [InlineData("if (force) await pending; else [|pending.GetAwaiter().GetResult()|];")]
    public Task WaitOnAsyncPathOrWithoutFlag_Reports(string statement)
        => SyncOverAsync.VerifyAnalyzerAsync(Code(
            """
                async Task M(Task pending, bool async, bool force)
                {
                    
            """ + statement + """

                }
            """));

    [Theory]
    [InlineData("[|FlushCore(true).GetAwaiter().GetResult()|];")]
    [InlineData("_ = [|ReadCore(isAsync: true).Result|];")]
    [InlineData("_ = [|ReadCore(IOBehavior.Asynchronous).GetAwaiter().GetResult()|];")]
    [InlineData("[|WriteCore(runSynchronously: false).GetAwaiter().GetResult()|];")]
    // Not a flag: 'force' says nothing about sync or async.
    [InlineData("[|CopyCore(false).GetAwaiter().GetResult()|];")]
    // The flag is not a constant.
    [InlineData("[|FlushCore(System.Environment.ProcessorCount > 1).GetAwaiter().GetResult()|];")]
    public Task WaitOnCallWithFlagOnOrWithoutFlag_Reports(string statement)
        => SyncOverAsync.VerifyAnalyzerAsync(Code(Body + "\n    void M()\n    {\n        " + statement + "\n    }"));
}
