using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using BlockingCall = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;
using FakeAsync = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.FakeAsyncMethodAnalyzer,
    TrueAsync.CodeFixes.Rules.FakeAsyncMethodFixer>;
using SyncOverAsync = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.SyncOverAsyncAnalyzer,
    TrueAsync.CodeFixes.Rules.SyncOverAsyncFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// Shapes of code written by async experts that do not block: a task read inside a completion callback (through a
/// ValueTask wrapped around it), a ValueTask wrapped around a task just checked complete, and a buffered
/// implementation of an async contract (<c>ReadAsync(r) =&gt; new(Read(r))</c>). Each with its reported counterpart.
/// </summary>
public sealed class ExpertCodeTests
{
    // ---------------------------------------------------------------- completion callbacks (TA0002)

    private const string Helpers = """
        using System;
        using System.Threading.Tasks;

        static class Continuations
        {
            // Awaits the task, then calls back with it: the callback sees a completed task.
            public static async Task WhenDone(Task task, Action<Task> callback)
            {
                await task.ConfigureAwait(false);
                callback(task);
            }

            // Calls back at once: nothing is known about the task.
            public static void Now(Task task, Action<Task> callback) => callback(task);
        }

        """;

    [Fact]
    public Task ResultInCallbackOfHelperThatAwaits_DoesNotReport()
        => SyncOverAsync.VerifyAnalyzerAsync(Helpers + """
            class C
            {
                int last;

                void Start(Task<int> work)
                {
                    _ = Continuations.WhenDone(work, Store);

                    void Store(Task done) => last = new ValueTask<int>((Task<int>)done).Result;
                }
            }
            """);

    [Fact]
    public Task ResultInCallbackOfHelperThatDoesNotAwait_Reports()
        => SyncOverAsync.VerifyAnalyzerAsync(Helpers + """
            class C
            {
                int last;

                void Start(Task<int> work)
                {
                    Continuations.Now(work, Store);

                    void Store(Task done) => last = [|new ValueTask<int>((Task<int>)done).Result|];
                }
            }
            """);

    [Fact]
    public Task ResultInCallbackAlsoCalledDirectly_Reports()
        => SyncOverAsync.VerifyAnalyzerAsync(Helpers + """
            class C
            {
                int last;

                void Start(Task<int> work)
                {
                    _ = Continuations.WhenDone(work, Store);
                    Store(work);

                    void Store(Task done) => last = [|((Task<int>)done).Result|];
                }
            }
            """);

    // ---------------------------------------------------------------- a ValueTask around a task known complete (TA0002)

    [Fact]
    public Task ValueTaskAroundTaskCheckedComplete_DoesNotReport()
        => SyncOverAsync.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> task) => task.IsCompletedSuccessfully ? new ValueTask<int>(task).Result : -1;
            }
            """);

    [Fact]
    public Task ValueTaskAroundTaskNotChecked_Reports()
        => SyncOverAsync.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> task) => [|new ValueTask<int>(task).Result|];
            }
            """);

    // ---------------------------------------------------------------- buffered implementations (TA0004)

    private const string Converter = """
        using System.IO;
        using System.Threading.Tasks;

        public abstract class Converter<T>
        {
            public abstract T Read(Stream source);
            public abstract ValueTask<T> ReadAsync(Stream source);
            public abstract ValueTask<object?> ReadAsObjectAsync(Stream source);
        }

        """;

    [Fact]
    public Task BufferedConverterReadingThroughItsSyncMethod_DoesNotReport()
        => FakeAsync.VerifyAnalyzerAsync(Converter + """
            // Its data is in memory: ReadAsync is Read behind a finished task, for every derived converter.
            public abstract class BufferedConverter<T> : Converter<T>
            {
                public sealed override ValueTask<T> ReadAsync(Stream source) => new(Read(source));
                public sealed override ValueTask<object?> ReadAsObjectAsync(Stream source) => new(Read(source));
            }
            """);

    [Fact]
    public Task ConverterWhoseReadAsyncDerivedTypesMayReplace_Reports()
        // Not buffered by contract: a derived converter may read ReadAsync from a stream; both sync-behind-async
        // methods stay reported.
        => new FakeAsync.Test
        {
            TestCode = Converter + """
                public abstract class SometimesBufferedConverter<T> : Converter<T>
                {
                    public override ValueTask<T> ReadAsync(Stream source) => new({|TA0004:Read(source)|});
                    public sealed override ValueTask<object?> ReadAsObjectAsync(Stream source) => new({|TA0004:Read(source)|});
                }
                """,
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        }.RunAsync();

    // ---------------------------------------------------------------- buffered receivers (TA0003)

    private const string Channel = """
        using System.Threading.Tasks;

        public abstract class Channel
        {
            public abstract void Close();
            public abstract Task CloseAsync();
        }

        """;

    [Fact]
    public Task SyncTwinOfBufferedReceiver_DoesNotReport()
        => BlockingCall.VerifyAnalyzerAsync(Channel + """
            public sealed class MemoryChannel : Channel
            {
                public override void Close() { }
                public override Task CloseAsync() { Close(); return Task.CompletedTask; }
            }

            class User
            {
                async Task M(MemoryChannel channel)
                {
                    await Task.Yield();
                    channel.Close();
                }
            }
            """);

    [Fact]
    public Task SyncTwinWhenAsyncMethodCallsDualPathOverload_Reports()
        => BlockingCall.VerifyAnalyzerAsync(Channel + """
            // CloseAsync calls Close(async: true), a dual-path overload, not the sync twin: nothing says it is buffered.
            public sealed class SocketChannel : Channel
            {
                public override void Close() => Close(async: false).GetAwaiter().GetResult();
                public override Task CloseAsync() => Close(async: true);
                private Task Close(bool async) => async ? Task.Delay(1) : Task.CompletedTask;
            }

            class User
            {
                async Task M(SocketChannel channel)
                {
                    await Task.Yield();
                    channel.[|Close()|];
                }
            }
            """);

    [Fact]
    public Task SyncTwinOnAbstractReceiver_Reports()
        => BlockingCall.VerifyAnalyzerAsync(Channel + """
            class User
            {
                async Task M(Channel channel)
                {
                    await Task.Yield();
                    channel.[|Close()|];
                }
            }
            """);
}
