using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.SyncOverAsyncAnalyzer,
    TrueAsync.CodeFixes.Rules.MakeMethodAsyncFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>The make-async action on TA0002 waits in synchronous methods.</summary>
public sealed class MakeMethodAsyncTests
{
    // Reported (by TA0002) and no make-async action offered: the code stays as it is.
    private static Task VerifyNotOfferedAsync(string source) => Verify.VerifyCodeFixAsync(source, source);

    // What the package's build/TrueAsync.Analyzers.props makes visible for a project with <IsPackable>false</IsPackable>.
    private const string Unpublished = "is_global = true\nbuild_property.IsPackable = false\n";

    // ---------------------------------------------------------------- offered

    [Fact]
    public async Task CallerInsideInterpolatedStringHandler_NotOffered()
    {
        // string.Create(provider, $"…") builds a DefaultInterpolatedStringHandler, a ref struct that cannot live
        // across an await (CS4007): the caller cannot await there, so the method cannot become async.
        await VerifyNotOfferedAsync(
            """
            using System.Globalization;
            using System.Net.Http;
            using System.Threading.Tasks;

            public sealed class Service
            {
                private readonly HttpClient _http = new();

                public async Task<string> RunAsync()
                {
                    await Task.Yield();
                    return string.Create(CultureInfo.InvariantCulture, $"length {Length("https://example.org")}");
                }

                private int Length(string url) => [|_http.GetStringAsync(url).Result|].Length;
            }
            """);
    }

    [Fact]
    public async Task PrivateMethodWithResult_BecomesAsyncAndCallerAwaits()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            public sealed class Service
            {
                private readonly HttpClient _http = new();

                public async Task<int> RunAsync()
                {
                    await Task.Yield();
                    return Length("https://example.org") + 1;
                }

                private int Length(string url) => [|_http.GetStringAsync(url).Result|].Length;
            }
            """,
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            public sealed class Service
            {
                private readonly HttpClient _http = new();

                public async Task<int> RunAsync()
                {
                    await Task.Yield();
                    return await LengthAsync("https://example.org") + 1;
                }

                private async Task<int> LengthAsync(string url) => (await _http.GetStringAsync(url)).Length;
            }
            """);
    }

    [Fact]
    public async Task VoidMethodWithWait_BecomesAsyncTask()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            internal sealed class Worker
            {
                public async Task RunAsync(Func<Task> step)
                {
                    Step(step);
                    await Task.Yield();
                }

                private static void Step(Func<Task> step)
                {
                    var task = step();
                    [|task.Wait()|];
                    Console.WriteLine("done");
                }
            }
            """,
            """
            using System;
            using System.Threading.Tasks;

            internal sealed class Worker
            {
                public async Task RunAsync(Func<Task> step)
                {
                    await StepAsync(step);
                    await Task.Yield();
                }

                private static async Task StepAsync(Func<Task> step)
                {
                    var task = step();
                    await task;
                    Console.WriteLine("done");
                }
            }
            """);
    }

    [Fact]
    public async Task EveryWaitOfTheMethod_IsAwaited()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            internal sealed class Totals
            {
                public async Task<int> RunAsync(Task<int> a, Task<int> b)
                {
                    await Task.Yield();
                    return Sum(a, b);
                }

                private int Sum(Task<int> a, Task<int> b)
                {
                    [|Task.WaitAll(a, b)|];
                    return a.GetAwaiter().GetResult() + b.Result;
                }
            }
            """,
            """
            using System.Threading.Tasks;

            internal sealed class Totals
            {
                public async Task<int> RunAsync(Task<int> a, Task<int> b)
                {
                    await Task.Yield();
                    return await SumAsync(a, b);
                }

                private async Task<int> SumAsync(Task<int> a, Task<int> b)
                {
                    await Task.WhenAll(a, b);
                    return await a + await b;
                }
            }
            """);
    }

    [Fact]
    public async Task CallersInAnotherDocumentLambdaAndMemberAccess_AllAwait()
    {
        await new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    """
                    using System.Collections.Generic;
                    using System.Threading.Tasks;

                    internal sealed class Store
                    {
                        private readonly Task<List<string>> _names = Task.FromResult(new List<string>());

                        public List<string> Names() => [|_names.Result|];
                    }
                    """,
                    """
                    using System;
                    using System.Threading.Tasks;

                    internal sealed class Page
                    {
                        public async Task<int> CountAsync(Store store) => store.Names().Count;

                        public Func<Task<string>> First(Store store) => async () => store.Names()[0];
                    }
                    """,
                },
            },
            FixedState =
            {
                Sources =
                {
                    """
                    using System.Collections.Generic;
                    using System.Threading.Tasks;

                    internal sealed class Store
                    {
                        private readonly Task<List<string>> _names = Task.FromResult(new List<string>());

                        public async Task<List<string>> NamesAsync() => await _names;
                    }
                    """,
                    """
                    using System;
                    using System.Threading.Tasks;

                    internal sealed class Page
                    {
                        public async Task<int> CountAsync(Store store) => (await store.NamesAsync()).Count;

                        public Func<Task<string>> First(Store store) => async () => (await store.NamesAsync())[0];
                    }
                    """,
                },
            },
        }.RunAsync();
    }

    [Fact]
    public async Task RecursionAndNameOf_AreUpdated()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            internal sealed class Tree
            {
                public string Name => nameof(Depth);

                public async Task<int> RunAsync(Task<int> t) => Depth(t, 3);

                private int Depth(Task<int> t, int n) => n == 0 ? [|t.Result|] : Depth(t, n - 1) + 1;
            }
            """,
            """
            using System.Threading.Tasks;

            internal sealed class Tree
            {
                public string Name => nameof(DepthAsync);

                public async Task<int> RunAsync(Task<int> t) => await DepthAsync(t, 3);

                private async Task<int> DepthAsync(Task<int> t, int n) => n == 0 ? await t : await DepthAsync(t, n - 1) + 1;
            }
            """);
    }

    [Fact]
    public async Task MethodWithoutCallers_BecomesAsync()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            internal sealed class Job
            {
                internal void Run(Task work) => [|work.Wait()|];
            }
            """,
            """
            using System.Threading.Tasks;

            internal sealed class Job
            {
                internal async Task RunAsync(Task work) => await work;
            }
            """);
    }

    [Fact]
    public async Task MissingTasksImport_IsAdded()
    {
        await Verify.VerifyCodeFixAsync(
            """
            internal sealed class Job
            {
                internal int Run(System.Threading.Tasks.Task<int> work) => [|work.Result|];
            }
            """,
            """
            using System.Threading.Tasks;

            internal sealed class Job
            {
                internal async Task<int> RunAsync(System.Threading.Tasks.Task<int> work) => await work;
            }
            """);
    }

    [Fact]
    public async Task PublicMethodOfAnApplication_IsOffered()
    {
        await new Verify.Test
        {
            TestState =
            {
                OutputKind = OutputKind.ConsoleApplication,
                Sources =
                {
                    """
                    using System.Threading.Tasks;

                    public static class Program
                    {
                        public static async Task Main() => Report(Task.FromResult(1));

                        public static void Report(Task<int> value) => System.Console.WriteLine([|value.Result|]);
                    }
                    """,
                },
            },
            FixedCode = """
                using System.Threading.Tasks;

                public static class Program
                {
                    public static async Task Main() => await ReportAsync(Task.FromResult(1));

                    public static async Task ReportAsync(Task<int> value) => System.Console.WriteLine(await value);
                }
                """,
        }.RunAsync();
    }

    // ---------------------------------------------------------------- synchronous callers, transitively

    [Fact]
    public async Task SynchronousCallers_BecomeAsyncUpToAnAsyncCaller()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            internal sealed class Job
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public async Task<int> RunAsync()
                {
                    await Task.Yield();
                    return Quadruple() + 1;
                }

                private int Quadruple() => Twice() * 2;

                private int Twice() => Value() * 2;

                private int Value() => [|_value.Result|];
            }
            """,
            """
            using System.Threading.Tasks;

            internal sealed class Job
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public async Task<int> RunAsync()
                {
                    await Task.Yield();
                    return await QuadrupleAsync() + 1;
                }

                private async Task<int> QuadrupleAsync() => await TwiceAsync() * 2;

                private async Task<int> TwiceAsync() => await ValueAsync() * 2;

                private async Task<int> ValueAsync() => await _value;
            }
            """);
    }

    [Fact]
    public async Task SynchronousCallers_StopAtMainWhichKeepsItsName()
    {
        await new Verify.Test
        {
            TestState =
            {
                OutputKind = OutputKind.ConsoleApplication,
                Sources =
                {
                    """
                    using System;
                    using System.Net.Http;
                    using System.Threading.Tasks;

                    internal static class Program
                    {
                        private static readonly HttpClient Http = new();

                        private static int Main(string[] args)
                        {
                            Print(args[0]);
                            return 0;
                        }

                        private static void Print(string url) => Console.WriteLine(Length(url));

                        private static int Length(string url) => [|Http.GetStringAsync(url).Result|].Length;
                    }
                    """,
                },
            },
            FixedState =
            {
                OutputKind = OutputKind.ConsoleApplication,
                Sources =
                {
                    """
                    using System;
                    using System.Net.Http;
                    using System.Threading.Tasks;

                    internal static class Program
                    {
                        private static readonly HttpClient Http = new();

                        private static async Task<int> Main(string[] args)
                        {
                            await PrintAsync(args[0]);
                            return 0;
                        }

                        private static async Task PrintAsync(string url) => Console.WriteLine(await LengthAsync(url));

                        private static async Task<int> LengthAsync(string url) => (await Http.GetStringAsync(url)).Length;
                    }
                    """,
                },
            },
        }.RunAsync();
    }

    [Fact]
    public async Task SynchronousCallers_StopAtATestMethodWhichKeepsItsName()
    {
        await Verify.VerifyCodeFixAsync(
            """
            using System;
            using System.Threading.Tasks;

            internal sealed class FactAttribute : Attribute
            {
            }

            public sealed class JobTests
            {
                private readonly Task<int> _value = Task.FromResult(1);

                [Fact]
                public void ValueIsOne()
                {
                    if (Value() != 1)
                    {
                        throw new InvalidOperationException();
                    }
                }

                private int Value() => [|_value.Result|];
            }
            """,
            """
            using System;
            using System.Threading.Tasks;

            internal sealed class FactAttribute : Attribute
            {
            }

            public sealed class JobTests
            {
                private readonly Task<int> _value = Task.FromResult(1);

                [Fact]
                public async Task ValueIsOne()
                {
                    if (await ValueAsync() != 1)
                    {
                        throw new InvalidOperationException();
                    }
                }

                private async Task<int> ValueAsync() => await _value;
            }
            """);
    }

    [Fact]
    public async Task SynchronousCallers_StopAtAControllerActionWhichKeepsItsName()
    {
        // The framework's base class, declared here as ASP.NET Core declares it (namespace and name are what count).
        const string mvc = """

            namespace Microsoft.AspNetCore.Mvc
            {
                public abstract class ControllerBase
                {
                }
            }
            """;
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Mvc;

            public sealed class CountController : ControllerBase
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public int Get() => Value() + 1;

                private int Value() => [|_value.Result|];
            }
            """ + mvc,
            """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Mvc;

            public sealed class CountController : ControllerBase
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public async Task<int> Get() => await ValueAsync() + 1;

                private async Task<int> ValueAsync() => await _value;
            }
            """ + mvc);
    }

    // ---------------------------------------------------------------- Fix All

    [Fact]
    public async Task FixAll_ConvertsACallerChainAndLeavesNothingToDo()
    {
        await new Verify.Test
        {
            TestCode = """
                using System;
                using System.Threading.Tasks;

                internal sealed class Report
                {
                    private readonly Task<int> _count = Task.FromResult(3);
                    private readonly Task<string> _title = Task.FromResult("t");

                    public async Task RunAsync()
                    {
                        Print();
                        await Task.Yield();
                    }

                    private void Print()
                    {
                        var n = Count();
                        Console.WriteLine([|_title.Result|] + n);
                    }

                    private int Count() => [|_count.Result|];
                }
                """,
            FixedCode = """
                using System;
                using System.Threading.Tasks;

                internal sealed class Report
                {
                    private readonly Task<int> _count = Task.FromResult(3);
                    private readonly Task<string> _title = Task.FromResult("t");

                    public async Task RunAsync()
                    {
                        await PrintAsync();
                        await Task.Yield();
                    }

                    private async Task PrintAsync()
                    {
                        var n = await CountAsync();
                        Console.WriteLine(await _title + n);
                    }

                    private async Task<int> CountAsync() => await _count;
                }
                """,
        }.RunAsync();
    }

    // ---------------------------------------------------------------- not offered

    [Fact]
    public async Task WrapperOverItsAsyncTwin_CallersMoveToTheTwinAndTheWrapperGoes()
    {
        // The async version exists already: making the wrapper async is moving its callers to the twin.
        await new Verify.Test
        {
            TestState =
            {
                OutputKind = OutputKind.ConsoleApplication,
                Sources =
                {
                    """
                    using System.Net.Http;
                    using System.Threading;
                    using System.Threading.Tasks;

                    internal sealed class Seeder
                    {
                        private readonly HttpClient _http = new();

                        /// <summary>For the synchronous start-up code.</summary>
                        public void Seed(string url) => [|SeedAsync(url).GetAwaiter().GetResult()|];

                        public async Task SeedAsync(string url, CancellationToken cancellationToken = default)
                            => await _http.GetStringAsync(url, cancellationToken);

                        public int Count() => [|CountAsync().Result|];

                        public Task<int> CountAsync() => Task.FromResult(3);
                    }

                    internal static class Program
                    {
                        private static void Main(string[] args)
                        {
                            var seeder = new Seeder();
                            seeder.Seed(args[0]);
                        }
                    }
                    """,
                },
            },
            FixedState =
            {
                OutputKind = OutputKind.ConsoleApplication,
                Sources =
                {
                    """
                    using System.Net.Http;
                    using System.Threading;
                    using System.Threading.Tasks;

                    internal sealed class Seeder
                    {
                        private readonly HttpClient _http = new();

                        public async Task SeedAsync(string url, CancellationToken cancellationToken = default)
                            => await _http.GetStringAsync(url, cancellationToken);

                        public Task<int> CountAsync() => Task.FromResult(3);
                    }

                    internal static class Program
                    {
                        private static async Task Main(string[] args)
                        {
                            var seeder = new Seeder();
                            await seeder.SeedAsync(args[0]);
                        }
                    }
                    """,
                },
            },
            NumberOfFixAllIterations = 1,
        }.RunAsync();
    }

    [Fact]
    public async Task WrapperThatChangesItsArguments_NotOffered()
    {
        // Seed(url) waits on SeedAsync(url.Trim()): the callers cannot simply move to the twin, and the name is taken.
        await VerifyNotOfferedAsync(
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            internal sealed class Seeder
            {
                private readonly HttpClient _http = new();

                public void Seed(string url) => [|SeedAsync(url.Trim()).GetAwaiter().GetResult()|];

                public async Task SeedAsync(string url) => await _http.GetStringAsync(url);

                public async Task RunAsync()
                {
                    await Task.Yield();
                    Seed("https://example.org");
                }
            }
            """);
    }

    [Fact]
    public async Task WrapperWhoseTwinCallsIt_NotOffered()
    {
        // Moving the twin's call to the wrapper onto the twin would make the twin call itself.
        await VerifyNotOfferedAsync(
            """
            using System.Threading.Tasks;

            internal sealed class Counter
            {
                public int Count() => [|CountAsync().Result|];

                public async Task<int> CountAsync()
                {
                    await Task.Yield();
                    return Count() + 1;
                }
            }
            """);
    }

    [Fact]
    public async Task CallerInASynchronousLambda_NotOffered()
    {
        // The lambda's delegate type says it returns an int: it cannot await.
        await VerifyNotOfferedAsync("""
            using System;
            using System.Threading.Tasks;

            internal sealed class Job
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public Func<int> Twice() => () => Value() * 2;

                private int Value() => [|_value.Result|];
            }
            """);
    }

    [Fact]
    public async Task SynchronousCallerImplementingAnInterface_ChangesWithItsInterfaceMember()
    {
        // The caller implements an interface member: the member and every implementation in the solution change with it.
        await Verify.VerifyCodeFixAsync(
            """
            using System.Threading.Tasks;

            internal interface ITwice
            {
                int Twice();
            }

            internal sealed class Job : ITwice
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public int Twice() => Value() * 2;

                private int Value() => [|_value.Result|];
            }
            """,
            """
            using System.Threading.Tasks;

            internal interface ITwice
            {
                Task<int> TwiceAsync();
            }

            internal sealed class Job : ITwice
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public async Task<int> TwiceAsync() => await ValueAsync() * 2;

                private async Task<int> ValueAsync() => await _value;
            }
            """);
    }

    [Fact]
    public async Task InterfaceOfAPublishedLibraryOrOfMetadata_NotOffered()
    {
        // A public interface of a library that may be published has implementations the fix cannot see; an interface
        // from a referenced assembly cannot change at all.
        await VerifyNotOfferedAsync("""
            using System;
            using System.Threading.Tasks;

            public interface ITwice
            {
                int Twice();
            }

            internal sealed class Job : ITwice, IComparable<Job>
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public int Twice() => [|_value.Result|] * 2;

                public int CompareTo(Job? other) => [|_value.Result|];
            }
            """);
    }

    [Fact]
    public async Task MethodGroupUse_NotOffered()
    {
        await VerifyNotOfferedAsync("""
            using System;
            using System.Threading.Tasks;

            internal sealed class Job
            {
                private readonly Task<int> _value = Task.FromResult(1);

                public Func<int> Getter() => Value;

                private int Value() => [|_value.Result|];
            }
            """);
    }

    [Fact]
    public async Task PublicMethodOfALibrary_NotOffered()
    {
        await VerifyNotOfferedAsync("""
            using System.Threading.Tasks;

            public sealed class Client
            {
                public int Value(Task<int> value) => [|value.Result|];
            }
            """);
    }

    // <IsPackable>false</IsPackable>: the library is not published, every caller is in the solution.
    [Fact]
    public async Task PublicMethodOfAnUnpublishedLibrary_IsOfferedAndCallersInOtherProjectsAwait()
    {
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    """
                    using System.Threading.Tasks;

                    public sealed class Client
                    {
                        public int Value(Task<int> value) => [|value.Result|];
                    }
                    """,
                },
                AnalyzerConfigFiles = { ("/.globalconfig", Unpublished) },
                AdditionalProjects =
                {
                    ["App"] =
                    {
                        Sources =
                        {
                            """
                            using System.Threading.Tasks;

                            public sealed class Page
                            {
                                public async Task<int> RenderAsync(Client client) => client.Value(Task.FromResult(2)) + 1;
                            }
                            """,
                        },
                        AdditionalProjectReferences = { "TestProject" },
                    },
                },
            },
            FixedState =
            {
                Sources =
                {
                    """
                    using System.Threading.Tasks;

                    public sealed class Client
                    {
                        public async Task<int> ValueAsync(Task<int> value) => await value;
                    }
                    """,
                },
                AdditionalProjects =
                {
                    ["App"] =
                    {
                        Sources =
                        {
                            """
                            using System.Threading.Tasks;

                            public sealed class Page
                            {
                                public async Task<int> RenderAsync(Client client) => await client.ValueAsync(Task.FromResult(2)) + 1;
                            }
                            """,
                        },
                        AdditionalProjectReferences = { "TestProject" },
                    },
                },
            },
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task PublicMethodOfALibraryPackedOnBuild_NotOffered()
    {
        const string source = """
            using System.Threading.Tasks;

            public sealed class Client
            {
                public int Value(Task<int> value) => [|value.Result|];
            }
            """;
        var test = new Verify.Test { TestCode = source, FixedCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", Unpublished + "build_property.GeneratePackageOnBuild = true\n"));
        await test.RunAsync();
    }

    [Fact]
    public async Task ExplicitInterfaceImplementationOverrideAndEventHandler_NotOffered()
    {
        await VerifyNotOfferedAsync("""
            using System;
            using System.Threading.Tasks;

            internal interface IValue { int Value(); }
            internal abstract class Base { public abstract int Other(); }

            internal sealed class Job : Base, IValue
            {
                private readonly Task<int> _value = Task.FromResult(1);

                int IValue.Value() => [|_value.Result|];

                public override int Other() => [|_value.Result|];

                private void OnClick(object sender, EventArgs e) => Console.WriteLine([|_value.Result|]);
            }
            """);
    }

    [Fact]
    public async Task AsyncTwinAlreadyExists_NotOffered()
    {
        await VerifyNotOfferedAsync("""
            using System.Threading.Tasks;

            internal sealed class Job
            {
                private readonly Task<int> _value = Task.FromResult(1);

                private int Value() => [|_value.Result|];

                private Task<int> ValueAsync() => _value;
            }
            """);
    }

    [Fact]
    public async Task CallerInsideLock_NotOffered()
    {
        await VerifyNotOfferedAsync("""
            using System.Threading.Tasks;

            internal sealed class Job
            {
                private readonly object _gate = new();
                private readonly Task<int> _value = Task.FromResult(1);

                public async Task<int> RunAsync()
                {
                    await Task.Yield();
                    lock (_gate)
                    {
                        return Value();
                    }
                }

                private int Value() => [|_value.Result|];
            }
            """);
    }

    [Fact]
    public async Task OutParameterOrOnlyATimedWait_NotOffered()
    {
        await VerifyNotOfferedAsync("""
            using System.Threading.Tasks;

            internal sealed class Job
            {
                private int Value(Task<int> value, out bool done)
                {
                    done = true;
                    return [|value.Result|];
                }

                private bool Finished(Task work) => [|work.Wait(1000)|];
            }
            """);
    }

    [Fact]
    public async Task WaitInsideLambdaOfTheMethod_NotOffered()
    {
        await VerifyNotOfferedAsync("""
            using System;
            using System.Threading.Tasks;

            internal sealed class Job
            {
                private Func<int> Getter(Task<int> value) => () => [|value.Result|];
            }
            """);
    }
}
