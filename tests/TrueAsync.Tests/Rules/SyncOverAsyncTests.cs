using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using TrueAsync.Analyzers.Rules;
using TrueAsync.Tests.Infrastructure;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.SyncOverAsyncAnalyzer,
    TrueAsync.CodeFixes.Rules.SyncOverAsyncFixer>;

namespace TrueAsync.Tests.Rules;

public sealed class SyncOverAsyncTests
{
    private const string ValueTaskProblem =
        "reads a ValueTask that may not have completed yet, which is invalid for a ValueTask backed by an IValueTaskSource and blocks the thread otherwise";

    // Reported and offered no fix: the code stays as it is when fixes are applied.
    private static Task VerifyReportedWithoutFixAsync(string source, params DiagnosticResult[] expected)
        => Verify.VerifyCodeFixAsync(source, source, expected);

    // ---------------------------------------------------------------- async code: reported and fixed

    [Fact]
    public async Task ResultInAsyncMethod_ReportsAndFixesToAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t)
                {
                    var x = [|t.Result|];
                    return x + 1;
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t)
                {
                    var x = await t;
                    return x + 1;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultFollowedByMemberAccess_FixParenthesizesAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<string> t)
                {
                    return [|t.Result|].Length;
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<string> t)
                {
                    return (await t).Length;
                }
            }
            """);
    }

    [Fact]
    public async Task WaitInAsyncMethod_ReportsAndFixesToAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task t)
                {
                    [|t.Wait()|];
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task t)
                {
                    await t;
                }
            }
            """);
    }

    [Fact]
    public async Task GetAwaiterGetResultInAsyncMethod_ReportsAndFixesToAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                static Task<int> LoadAsync() => Task.FromResult(1);

                async Task<int> M()
                {
                    return [|LoadAsync().GetAwaiter().GetResult()|] * 2;
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                static Task<int> LoadAsync() => Task.FromResult(1);

                async Task<int> M()
                {
                    return await LoadAsync() * 2;
                }
            }
            """);
    }

    [Fact]
    public async Task ConfigureAwaitFalseGetAwaiterGetResult_FixKeepsConfigureAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task t)
                {
                    [|t.ConfigureAwait(false).GetAwaiter().GetResult()|];
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task t)
                {
                    await t.ConfigureAwait(false);
                }
            }
            """);
    }

    [Fact]
    public async Task WaitAllInAsyncMethod_FixesToAwaitWhenAll()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task a, Task<int> b)
                {
                    [|Task.WaitAll(a, b)|];
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task a, Task<int> b)
                {
                    await Task.WhenAll(a, b);
                }
            }
            """);
    }

    [Fact]
    public async Task WaitAllOfArrayThroughUsingStatic_FixesToAwaitWhenAll()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;
            using static System.Threading.Tasks.Task;

            class C
            {
                async Task M(Task[] tasks)
                {
                    [|WaitAll(tasks)|];
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using static System.Threading.Tasks.Task;

            class C
            {
                async Task M(Task[] tasks)
                {
                    await WhenAll(tasks);
                }
            }
            """);
    }

    [Fact]
    public async Task WaitAnyAsStatement_FixesToAwaitWhenAny()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task a, Task b)
                {
                    [|Task.WaitAny(a, b)|];
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task a, Task b)
                {
                    await Task.WhenAny(a, b);
                }
            }
            """);
    }

    [Fact]
    public async Task WaitAnyIndexOfArrayVariableUsed_FixesToIndexOfAwaitWhenAny()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task[] tasks)
                {
                    int first = [|Task.WaitAny(tasks)|];
                    return first;
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task[] tasks)
                {
                    int first = Array.IndexOf(tasks, await Task.WhenAny(tasks));
                    return first;
                }
            }
            """);
    }

    [Fact]
    public async Task WaitWithCancellationToken_FixesToAwaitWaitAsync()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task t, CancellationToken cancellationToken)
                {
                    {|#0:t.Wait(cancellationToken)|};
                }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task t, CancellationToken cancellationToken)
                {
                    await t.WaitAsync(cancellationToken);
                }
            }
            """,
            Verify.Diagnostic("TA0002").WithLocation(0)
                .WithArguments("Wait(cancellationToken)", "blocks the thread until the task completes or the token is canceled", "use 'await' with 'WaitAsync' instead"));
    }

    [Fact]
    public async Task ResultInAsyncLambda_ReportsAndFixesToAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            class C
            {
                void M(Task<int> t)
                {
                    Func<Task<int>> f = async () => [|t.Result|] + 1;
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;

            class C
            {
                void M(Task<int> t)
                {
                    Func<Task<int>> f = async () => await t + 1;
                }
            }
            """);
    }

    [Fact]
    public async Task WaitInAsyncLocalFunction_ReportsAndFixesToAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                void M(Task t)
                {
                    async Task Local()
                    {
                        [|t.Wait()|];
                    }

                    _ = Local();
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                void M(Task t)
                {
                    async Task Local()
                    {
                        await t;
                    }

                    _ = Local();
                }
            }
            """);
    }

    [Fact]
    public async Task EfCoreCountAsyncResult_ReportsAndFixesToAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;

            public sealed class User { public int Id { get; set; } }
            public sealed class AppDb : DbContext { public DbSet<User> Users => Set<User>(); }

            public sealed class UserService
            {
                private readonly AppDb db;
                public UserService(AppDb db) => this.db = db;

                public async Task<string> DescribeAsync()
                {
                    var count = [|db.Users.CountAsync().Result|];
                    var first = [|db.Users.FirstOrDefaultAsync(u => u.Id > 0).GetAwaiter().GetResult()|];
                    return count + ":" + first?.Id;
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;

            public sealed class User { public int Id { get; set; } }
            public sealed class AppDb : DbContext { public DbSet<User> Users => Set<User>(); }

            public sealed class UserService
            {
                private readonly AppDb db;
                public UserService(AppDb db) => this.db = db;

                public async Task<string> DescribeAsync()
                {
                    var count = await db.Users.CountAsync();
                    var first = await db.Users.FirstOrDefaultAsync(u => u.Id > 0);
                    return count + ":" + first?.Id;
                }
            }
            """);
    }

    [Fact]
    public async Task HttpClientGetStringAsyncResult_ReportsAndFixesToAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            public sealed class Fetcher
            {
                private readonly HttpClient client = new HttpClient();

                public async Task<int> LengthAsync(string url)
                {
                    var body = [|client.GetStringAsync(url).Result|];
                    var response = [|client.GetAsync(url).Result|];
                    var text = [|response.Content.ReadAsStringAsync().Result|];
                    return body.Length + text.Length;
                }
            }
            """,
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            public sealed class Fetcher
            {
                private readonly HttpClient client = new HttpClient();

                public async Task<int> LengthAsync(string url)
                {
                    var body = await client.GetStringAsync(url);
                    var response = await client.GetAsync(url);
                    var text = await response.Content.ReadAsStringAsync();
                    return body.Length + text.Length;
                }
            }
            """);
    }

    [Fact]
    public async Task SeveralWaitsInOneMethod_FixAllRewritesEveryOne()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                static Task<Task<int>> NestedAsync() => Task.FromResult(Task.FromResult(1));
                static Task<string> NameAsync(int id) => Task.FromResult(id.ToString());

                async Task<int> M(Task<int> a, Task b, Task<string> c)
                {
                    [|b.Wait()|];
                    var n = [|[|NestedAsync().Result|].Result|];
                    var s = [|NameAsync([|a.Result|]).Result|];
                    var length = [|c.GetAwaiter().GetResult()|].Length;
                    return n + s.Length + length;
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                static Task<Task<int>> NestedAsync() => Task.FromResult(Task.FromResult(1));
                static Task<string> NameAsync(int id) => Task.FromResult(id.ToString());

                async Task<int> M(Task<int> a, Task b, Task<string> c)
                {
                    await b;
                    var n = await (await NestedAsync());
                    var s = await NameAsync(await a);
                    var length = (await c).Length;
                    return n + s.Length + length;
                }
            }
            """);
    }

    [Fact]
    public async Task MultiLineChain_FixKeepsLayout()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(HttpClient client)
                {
                    var text = [|client
                        .GetStringAsync("https://example.org")
                        .Result|];
                    return text.Length;
                }
            }
            """,
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(HttpClient client)
                {
                    var text = await client
                        .GetStringAsync("https://example.org");
                    return text.Length;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInInterpolationAndCast_FixesWithoutExtraParentheses()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<string> M(Task<int> t, Task<object> o)
                {
                    var s = (string)[|o.Result|];
                    return $"{[|t.Result|]} {s}";
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<string> M(Task<int> t, Task<object> o)
                {
                    var s = (string)await o;
                    return $"{await t} {s}";
                }
            }
            """);
    }

    [Fact]
    public async Task ResultOfBaseCallInAsyncOverride_FixesToAwaitBaseCall()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class Base
            {
                public virtual Task<int> LoadAsync() => Task.FromResult(1);
            }

            class Derived : Base
            {
                public override async Task<int> LoadAsync()
                {
                    return [|base.LoadAsync().Result|] + 1;
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class Base
            {
                public virtual Task<int> LoadAsync() => Task.FromResult(1);
            }

            class Derived : Base
            {
                public override async Task<int> LoadAsync()
                {
                    return await base.LoadAsync() + 1;
                }
            }
            """);
    }

    [Fact]
    public async Task TopLevelStatements_ReportAndFixToAwait()
    {
        await new Verify.Test
        {
            TestState =
            {
                OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication,
                Sources =
                {
                    """
                    using System;
                    using System.Net.Http;

                    var client = new HttpClient();
                    var body = [|client.GetStringAsync("https://example.org").Result|];
                    Console.WriteLine(body.Length);
                    """,
                },
            },
            FixedState =
            {
                Sources =
                {
                    """
                    using System;
                    using System.Net.Http;

                    var client = new HttpClient();
                    var body = await client.GetStringAsync("https://example.org");
                    Console.WriteLine(body.Length);
                    """,
                },
            },
        }.RunAsync();
    }

    [Fact]
    public async Task ResultInAsyncMethodWithCSharp7_3_ReportsAndFixesToAwait()
    {
        await new Verify.Test
        {
            LanguageVersion = LanguageVersion.CSharp7_3,
            TestCode = """
                using System.Threading.Tasks;

                class C
                {
                    async Task<int> M(Task<int> t)
                    {
                        try
                        {
                            return [|t.Result|];
                        }
                        finally
                        {
                            [|t.Wait()|];
                        }
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;

                class C
                {
                    async Task<int> M(Task<int> t)
                    {
                        try
                        {
                            return await t;
                        }
                        finally
                        {
                            await t;
                        }
                    }
                }
                """,
        }.RunAsync();
    }

    [Fact]
    public async Task ValueTaskResultInAsyncMethod_ReportsValueTaskMessageAndFixesToAwait()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                static ValueTask<int> ReadAsync() => new ValueTask<int>(Task.FromResult(1));

                async Task<int> M(ValueTask v)
                {
                    {|#1:v.GetAwaiter().GetResult()|};
                    return {|#0:ReadAsync().Result|};
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                static ValueTask<int> ReadAsync() => new ValueTask<int>(Task.FromResult(1));

                async Task<int> M(ValueTask v)
                {
                    await v;
                    return await ReadAsync();
                }
            }
            """,
            Verify.Diagnostic("TA0002").WithLocation(0).WithArguments("Result", ValueTaskProblem, "use 'await' instead"),
            Verify.Diagnostic("TA0002").WithLocation(1).WithArguments("GetAwaiter().GetResult()", ValueTaskProblem, "use 'await' instead"));
    }

    [Fact]
    public async Task ResultInAsyncMethod_MessageNamesTheWaitAndTheFix()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t) => {|#0:t.Result|};
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t) => await t;
            }
            """,
            Verify.Diagnostic("TA0002").WithLocation(0).WithArguments("Result", "blocks the thread until the task completes", "use 'await' instead"));
    }

    // ---------------------------------------------------------------- async code: reported, no safe fix

    [Fact]
    public async Task WaitWithTimeoutInAsyncMethod_ReportsNamingTheTimeoutWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<bool> M(Task t)
                {
                    return {|#0:t.Wait(1000)|};
                }
            }
            """,
            Verify.Diagnostic("TA0002").WithLocation(0).WithArguments(
                "Wait(millisecondsTimeout)",
                "blocks the thread until the task completes or the timeout elapses",
                "await it instead, but 'await' does not give up after a timeout, so this needs a rewrite by hand"));
    }

    [Fact]
    public async Task WaitWithTimeSpanAndTokenInAsyncMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task t, CancellationToken ct)
                {
                    if (!{|#0:t.Wait(TimeSpan.FromSeconds(1), ct)|})
                    {
                        throw new TimeoutException();
                    }
                }
            }
            """,
            Verify.Diagnostic("TA0002").WithLocation(0).WithArguments(
                "Wait(timeout, cancellationToken)",
                "blocks the thread until the task completes or the timeout elapses or the token is canceled",
                "await it instead, but 'await' does not give up after a timeout, so this needs a rewrite by hand"));
    }

    [Fact]
    public async Task WaitAllWithTimeoutOrTokenInAsyncMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task<bool> M(Task[] tasks, CancellationToken ct)
                {
                    [|Task.WaitAll(tasks, ct)|];
                    return [|Task.WaitAll(tasks, 500)|];
                }
            }
            """);
    }

    [Fact]
    public async Task WaitAnyIndexOfInlineTasksUsed_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task a, Task b)
                {
                    return [|Task.WaitAny(a, b)|];
                }
            }
            """);
    }

    [Fact]
    public async Task WaitInsideLockInAsyncMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                private readonly object gate = new object();

                async Task M(Task t)
                {
                    lock (gate)
                    {
                        {|#0:t.Wait()|};
                    }

                    await Task.Yield();
                }
            }
            """,
            Verify.Diagnostic("TA0002").WithLocation(0).WithArguments("Wait()", "blocks the thread until the task completes", "move it out of the 'lock' and await it"));
    }

    [Fact]
    public async Task ResultInCatchFilterInAsyncMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task<bool> shouldCatch)
                {
                    try
                    {
                        await Task.Yield();
                    }
                    catch (Exception) when ([|shouldCatch.Result|])
                    {
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInQueryClauseOfAsyncMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;

            class C
            {
                async Task<List<int>> M(List<Task<int>> tasks)
                {
                    await Task.Yield();
                    return (from t in tasks select [|t.Result|]).ToList();
                }
            }
            """);
    }

    [Fact]
    public async Task ResultThroughConditionalAccessInAsyncMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int?> M(Task<int> t)
                {
                    await Task.Yield();
                    return t?[|.Result|];
                }
            }
            """);
    }

    [Fact]
    public async Task ResultNextToSpanOrRefStructInterpolatedStringHandler_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System;
            using System.Globalization;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t, Task<string> s, string text)
                {
                    await Task.Yield();
                    var line = string.Create(CultureInfo.InvariantCulture, $"value: {[|t.Result|]}");
                    return line.Length + text.AsSpan().IndexOf([|s.Result|].AsSpan());
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInStringBuilderInterpolation_ReportsAndFixes()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Text;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task<int> t, StringBuilder builder)
                {
                    builder.Append($"value: {[|t.Result|]}");
                }
            }
            """,
            """
            using System.Text;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Task<int> t, StringBuilder builder)
                {
                    builder.Append($"value: {await t}");
                }
            }
            """);
    }

    // ---------------------------------------------------------------- synchronous code: reported, no fix

    [Fact]
    public async Task ResultInSyncMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> t) => {|#0:t.Result|};
            }
            """,
            Verify.Diagnostic("TA0002").WithLocation(0).WithArguments(
                "Result",
                "blocks the thread until the task completes",
                "it can deadlock under a synchronization context and holds a pool thread; make the caller async and await it"));
    }

    [Fact]
    public async Task EveryWaitFormInSyncCode_Reports()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;

            public sealed class User { public int Id { get; set; } }
            public sealed class AppDb : DbContext { public DbSet<User> Users => Set<User>(); }

            public sealed class LegacyService
            {
                private readonly AppDb db;
                private readonly HttpClient client;

                public LegacyService(AppDb db, HttpClient client)
                {
                    this.db = db;
                    this.client = client;
                    [|db.Database.EnsureCreatedAsync().Wait()|];
                }

                public int UserCount => [|db.Users.CountAsync().Result|];

                public string Fetch(string url, CancellationToken ct)
                {
                    [|client.GetAsync(url, ct).Wait(ct)|];
                    [|Task.WaitAll(client.GetAsync(url), client.GetAsync(url))|];
                    var index = [|Task.WaitAny(client.GetAsync(url), client.GetAsync(url))|];
                    return [|client.GetStringAsync(url).ConfigureAwait(false).GetAwaiter().GetResult()|] + index;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInSyncLambdaInsideAsyncMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(List<Task<int>> tasks)
                {
                    await Task.Yield();
                    return tasks.Sum(t => [|t.Result|]);
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInFieldInitializer_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                private static readonly Task<int> Pending = Task.Run(() => 1);
                private readonly int value = [|Pending.Result|];
            }
            """);
    }

    [Fact]
    public async Task ValueTaskResultInSyncMethod_ReportsValueTaskMessage()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System;
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                int M(Stream stream, byte[] buffer)
                {
                    {|#1:stream.WriteAsync(buffer.AsMemory()).ConfigureAwait(false).GetAwaiter().GetResult()|};
                    return {|#0:stream.ReadAsync(buffer.AsMemory()).Result|};
                }
            }
            """,
            Verify.Diagnostic("TA0002").WithLocation(0).WithArguments(
                "Result",
                ValueTaskProblem,
                "make the caller async and await it, or block on 'AsTask()' if the caller must stay synchronous"),
            Verify.Diagnostic("TA0002").WithLocation(1).WithArguments(
                "GetAwaiter().GetResult()",
                ValueTaskProblem,
                "make the caller async and await it, or block on 'AsTask()' if the caller must stay synchronous"));
    }

    // ---------------------------------------------------------------- silent: TA0001 speaks for a wait on Task.Run

    [Fact]
    public async Task ResultOfTaskRunAroundBlockingIo_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                string M(string path) => Task.Run(() => File.ReadAllText(path)).Result;

                void N(Task t) => Task.Factory.StartNew(() => t.Wait()).Wait();
            }
            """);
    }

    // ---------------------------------------------------------------- silent: the task is known complete

    [Fact]
    public async Task ResultAfterAwaitOfSameTask_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await t;
                    var local = Task.FromResult(2);
                    await local.ConfigureAwait(false);
                    return t.Result + local.Result + t.GetAwaiter().GetResult();
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterAwaitInSyncLambdaCreatedLater_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;

            class C
            {
                async Task<Func<int>> M(Task<int> t)
                {
                    _ = await t;
                    return () => t.Result;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterAwaitedWhenAll_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> a, Task<int> b)
                {
                    await Task.WhenAll(a, b).ConfigureAwait(false);
                    return a.Result + b.Result;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterWhenAllOfLocalArrayOrList_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> a, Task<int> b, Task<string> c)
                {
                    var all = new[] { a, b };
                    await Task.WhenAll(all);
                    var more = new List<Task> { c };
                    await Task.WhenAll(more);
                    return a.Result + b.Result + c.Result.Length;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterWhenAllOfCollectionExpression_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> a, Task<int> b)
                {
                    Task[] all = [a, b];
                    await Task.WhenAll(all);
                    return a.Result + b.Result;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultOfElementsAfterWhenAllOfTheCollection_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(HttpClient client, IEnumerable<string> urls)
                {
                    var downloads = urls.Select(url => client.GetStringAsync(url)).ToList();
                    await Task.WhenAll(downloads);
                    var total = downloads.Sum(d => d.Result.Length);
                    foreach (var download in downloads)
                    {
                        total += download.Result.Length;
                    }

                    return total + downloads[0].Result.Length;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultOfElementsWithoutWhenAllOfTheCollection_Reports()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;

            class C
            {
                int M(List<Task<int>> tasks, Task<int>[] others)
                {
                    [|Task.WaitAll(others)|];
                    return tasks.Sum(t => [|t.Result|]) + [|tasks[0].Result|] + others[0].Result;
                }
            }
            """);
    }

    [Fact]
    public async Task WaitInsideFaultedOrCanceledGuard_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                void Rethrow(Task t)
                {
                    if (t.IsFaulted || t.IsCanceled)
                    {
                        t.GetAwaiter().GetResult();
                    }

                    if (t.Status is TaskStatus.Faulted)
                    {
                        t.Wait();
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task ResultOfTaskThatWonWhenAny_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> WithTimeoutAsync(Task<int> work, TimeSpan timeout)
                {
                    if (await Task.WhenAny(work, Task.Delay(timeout)) == work)
                    {
                        return work.Result;
                    }

                    var winner = await Task.WhenAny(work, Task.Delay(timeout)).ConfigureAwait(false);
                    if (winner != work)
                    {
                        throw new TimeoutException();
                    }

                    return work.Result;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInSwitchOnFinalStatus_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> t)
                {
                    switch (t.Status)
                    {
                        case TaskStatus.RanToCompletion:
                            return t.Result;
                        case TaskStatus.Faulted:
                        case TaskStatus.Canceled:
                            t.GetAwaiter().GetResult();
                            return -1;
                    }

                    return t.Status switch
                    {
                        TaskStatus.RanToCompletion => t.Result,
                        _ => 0,
                    };
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInSwitchOnUnfinishedStatus_Reports()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> t)
                {
                    switch (t.Status)
                    {
                        case TaskStatus.Running:
                        case TaskStatus.RanToCompletion:
                            return [|t.Result|];
                    }

                    return t.Status switch
                    {
                        TaskStatus.WaitingForActivation => [|t.Result|],
                        _ => 0,
                    };
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterSyncWaitOfSameTask_ReportsOnlyTheFirstWait()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> a, Task<int> b)
                {
                    [|Task.WaitAll(a, b)|];
                    return a.Result + b.Result;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInsideCompletionGuards_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                private Task<int> cached = Task.Run(() => 1);

                int M(Task<int> t, ValueTask<int> v, bool flag)
                {
                    var sum = 0;
                    if (t.IsCompleted)
                    {
                        sum += t.Result;
                    }

                    if (flag && t.IsCompletedSuccessfully)
                    {
                        sum += t.GetAwaiter().GetResult();
                    }

                    if (t.Status == TaskStatus.RanToCompletion)
                    {
                        sum += t.Result;
                    }

                    if (v.IsCompletedSuccessfully)
                    {
                        sum += v.Result;
                    }

                    sum += t.IsCompleted && t.Result > 0 ? 1 : 0;
                    sum += cached.IsCompleted ? cached.Result : 0;
                    sum += !this.cached.IsCompleted ? 0 : cached.Result;
                    return sum;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterEarlyExitOrAwaitWhenNotCompleted_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                int Peek(Task<int> t)
                {
                    if (!t.IsCompleted)
                    {
                        return -1;
                    }

                    return t.Result;
                }

                async ValueTask<int> GetAsync(ValueTask<int> v)
                {
                    if (!v.IsCompletedSuccessfully)
                        await v;
                    return v.Result;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultOfContinuationAntecedent_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                Task<int> M(Task<int> t, Task<int>[] all)
                {
                    _ = Task.Factory.ContinueWhenAll(all, done => done[0].Result);
                    return t.ContinueWith(previous => previous.Result + 1);
                }
            }
            """);
    }

    [Fact]
    public async Task ResultOfTaskCompleteByConstruction_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                int M()
                {
                    Task.CompletedTask.Wait();
                    return Task.FromResult(1).Result + new ValueTask<int>(2).Result;
                }
            }
            """);
    }

    // ---------------------------------------------------------------- silent: not this rule's place

    [Fact]
    public async Task ResultInsideTaskRunOrStartNewDelegate_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(HttpClient client, string url)
                {
                    var a = await Task.Run(() => client.GetStringAsync(url).Result);
                    var b = await Task.Factory.StartNew(() => { client.GetAsync(url).Wait(); return 1; });
                    var c = await new TaskFactory().StartNew(delegate { return client.GetStringAsync(url).GetAwaiter().GetResult(); });
                    var d = await Task.Run(async () => { await Task.Yield(); return client.GetStringAsync(url).Result; });
                    return a.Length + b + c.Length + d.Length;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultInsideNameofAndExpressionTree_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Linq.Expressions;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> M(Task<int> t)
                {
                    Expression<Func<int>> tree = () => t.Result;
                    await Task.Yield();
                    return nameof(t.Result) + tree;
                }
            }
            """);
    }

    [Fact]
    public async Task WaitInClassicMain_DoesNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System.Threading.Tasks;

            static class Program
            {
                static async Task RunAsync() => await Task.Delay(1);

                static void Main(string[] args)
                {
                    RunAsync().GetAwaiter().GetResult();
                }
            }
            """);
    }

    [Fact]
    public async Task MembersNamedLikeWaitsOnOtherTypes_DoNotReport()
    {
        await Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Threading;
            using System.Threading.Tasks;

            sealed class Job
            {
                public int Result => 1;
                public void Wait() { }
                public static void WaitAll(params Job[] jobs) { }
            }

            class C
            {
                int M(Job job, ManualResetEventSlim signal, Task<int> t)
                {
                    job.Wait();
                    Job.WaitAll(job);
                    signal.Wait();
                    var awaiter = t.GetAwaiter();
                    awaiter.OnCompleted(() => Console.WriteLine(awaiter.GetResult()));
                    return job.Result;
                }
            }
            """);
    }

    // ---------------------------------------------------------------- reported: completion not proven

    [Fact]
    public async Task ResultAfterAwaitInsideBranch_ReportsAndFixes()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t, bool flag)
                {
                    if (flag)
                    {
                        await t;
                    }

                    return [|t.Result|];
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> t, bool flag)
                {
                    if (flag)
                    {
                        await t;
                    }

                    return await t;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterAwaitOfReassignedVariable_ReportsAndFixes()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                static Task<int> NextAsync() => Task.FromResult(1);

                async Task<int> M()
                {
                    var t = NextAsync();
                    await t;
                    t = NextAsync();
                    return [|t.Result|];
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                static Task<int> NextAsync() => Task.FromResult(1);

                async Task<int> M()
                {
                    var t = NextAsync();
                    await t;
                    t = NextAsync();
                    return await t;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultGuardedByOtherTaskOrWrongBranch_Reports()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> a, Task<int> b)
                {
                    if (a.IsCompleted)
                    {
                        return [|b.Result|];
                    }

                    if (a.IsCompleted || b.IsCompleted)
                    {
                        return [|a.Result|];
                    }

                    return a.IsCompleted ? 0 : [|a.Result|];
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterWhenAllOfOtherTasks_ReportsAndFixes()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
                {
                    var some = new[] { a, b };
                    await Task.WhenAll(some);
                    Task[] others = [b];
                    await Task.WhenAll(others);
                    await Task.WhenAny(a, c);
                    return [|c.Result|] + a.Result;
                }
            }
            """,
            """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
                {
                    var some = new[] { a, b };
                    await Task.WhenAll(some);
                    Task[] others = [b];
                    await Task.WhenAll(others);
                    await Task.WhenAny(a, c);
                    return await c + a.Result;
                }
            }
            """);
    }

    [Fact]
    public async Task ResultAfterGuardWithoutExit_Reports()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            class C
            {
                int M(Task<int> t)
                {
                    if (!t.IsCompleted)
                    {
                        Console.WriteLine("still running");
                    }

                    return [|t.Result|];
                }
            }
            """);
    }

    [Fact]
    public async Task ResultOfTaskRunOutsideItsDelegate_Reports()
    {
        await VerifyReportedWithoutFixAsync(
            """
            using System.Threading.Tasks;

            class C
            {
                int M() => [|Task.Run(() => 1).Result|];
            }
            """);
    }

    // ---------------------------------------------------------------- other reference sets and broken code

    [Fact]
    public async Task NetStandard20WithoutValueTask_ReportsTaskWaits()
    {
        await new Verify.Test
        {
            ReferenceAssemblies = TestReferences.NetStandard20,
            TestCode = """
                using System.Threading.Tasks;

                class C
                {
                    async Task<int> M(Task<int> t)
                    {
                        return [|t.Result|];
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;

                class C
                {
                    async Task<int> M(Task<int> t)
                    {
                        return await t;
                    }
                }
                """,
        }.RunAsync();
    }

    [Theory]
    [InlineData("using System.Threading.Tasks; class C { async Task<int> M(Task<int> t) { return t.Resu; } }")]
    [InlineData("using System.Threading.Tasks; class C { async Task M() { var x = .Result; await Task.Yield(); } }")]
    [InlineData("using System.Threading.Tasks; class C { void M(Task t) { t.Wait(; Task.WaitAll(t, ; } }")]
    [InlineData("using System.Threading.Tasks; class C { async Task M(Task t) { t.GetAwaiter().GetResult(; t.ConfigureAwait().GetAwaiter().GetResult(); } }")]
    [InlineData("using System.Threading.Tasks; class C { async Task M(Task<int> t) { if (t.IsCompleted) return t.Result; await Task.WhenAll(new[] { t, }; } }")]
    [InlineData("using System.Threading.Tasks; class C { int M(Task<int> t) => Task.WaitAny() + t.Result.; }")]
    public async Task BrokenCode_DoesNotCrash(string source)
    {
        var compilation = await CompilationFactory.CreateAsync(new[] { source });
        var diagnostics = await CompilationFactory.RunAnalyzersAsync(
            compilation,
            System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new SyncOverAsyncAnalyzer()));

        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        Assert.All(diagnostics, d => Assert.Equal("TA0002", d.Id));
    }
}
