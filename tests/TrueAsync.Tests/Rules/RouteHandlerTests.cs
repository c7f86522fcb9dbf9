using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers.Rules;
using TrueAsync.CodeFixes.Rules;
using TrueAsync.Tests.Infrastructure;
using TrueAsync.Tests.Robustness;
using Xunit;
using AwaitVerify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.SyncOverAsyncAnalyzer,
    TrueAsync.CodeFixes.Rules.SyncOverAsyncFixer>;
using MakeAsyncVerify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.SyncOverAsyncAnalyzer,
    TrueAsync.CodeFixes.Rules.MakeMethodAsyncFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// TA0002 in ASP.NET Core minimal-API route handlers, compiled against ASP.NET Core 8's reference assemblies: a handler
/// lambda is an entry point that ASP.NET Core awaits, so it becomes async with the wait (directly in it, or at the end
/// of a chain of synchronous callers made async).
/// </summary>
public sealed class RouteHandlerTests
{
    private const string Usings = """
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Routing;

        """;

    private static Task VerifyAwaitAsync(string source, string fixedSource)
        => new AwaitVerify.Test { TestCode = Usings + source, FixedCode = Usings + fixedSource, ReferenceAssemblies = TestReferences.Net80WithAspNetCore }.RunAsync();

    private static Task VerifyMakeAsyncAsync(string source, string fixedSource)
        => new MakeAsyncVerify.Test { TestCode = Usings + source, FixedCode = Usings + fixedSource, ReferenceAssemblies = TestReferences.Net80WithAspNetCore }.RunAsync();

    // ---------------------------------------------------------------- a wait directly in the handler

    [Fact]
    public async Task WaitInHandlerLambda_HandlerBecomesAsyncAndAwaits()
    {
        await VerifyAwaitAsync(
            """
            internal interface IStock { Task<List<string>> GetLocationsAsync(); Task SaveAsync(); Task<string> NameAsync(); }

            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    app.MapGet("/locations", (IStock stock) => Results.Ok([|stock.GetLocationsAsync().Result|]));
                    app.MapPost("/save", (IStock stock) =>
                    {
                        [|stock.SaveAsync().Wait()|];
                        return Results.NoContent();
                    });
                    app.MapGet("/name", static (IStock stock) => [|stock.NameAsync().GetAwaiter().GetResult()|].Length);
                    app.MapDelete("/all", delegate (IStock stock) { [|stock.SaveAsync().GetAwaiter().GetResult()|]; });
                    app.MapPut("/all",
                        [Microsoft.AspNetCore.Authorization.Authorize] (IStock stock) => [|stock.NameAsync().Result|]);
                }
            }
            """,
            """
            internal interface IStock { Task<List<string>> GetLocationsAsync(); Task SaveAsync(); Task<string> NameAsync(); }

            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    app.MapGet("/locations", async (IStock stock) => Results.Ok(await stock.GetLocationsAsync()));
                    app.MapPost("/save", async (IStock stock) =>
                    {
                        await stock.SaveAsync();
                        return Results.NoContent();
                    });
                    app.MapGet("/name", static async (IStock stock) => (await stock.NameAsync()).Length);
                    app.MapDelete("/all", async delegate (IStock stock) { await stock.SaveAsync(); });
                    app.MapPut("/all",
                        [Microsoft.AspNetCore.Authorization.Authorize] async (IStock stock) => await stock.NameAsync());
                }
            }
            """);
    }

    [Fact]
    public async Task TwoWaitsInOneHandler_OneAsyncModifier()
    {
        await VerifyAwaitAsync(
            """
            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app, Task<int> a, Task<int> b)
                    => app.MapGroup("/sums").MapGet("/", () => Results.Ok([|a.Result|] + [|b.Result|]));
            }
            """,
            """
            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app, Task<int> a, Task<int> b)
                    => app.MapGroup("/sums").MapGet("/", async () => Results.Ok(await a + await b));
            }
            """);
    }

    [Fact]
    public async Task Messages_SayWhichWaitTheHandlerFixTakes()
    {
        // The handler's wait says the handler becomes async; a wait in any other synchronous lambda keeps the advice for
        // synchronous code, which the README's table of kinds without a fix matches.
        var test = new AwaitVerify.Test
        {
            TestCode = Usings + """
                internal static class Registry
                {
                    public static void Register(string name, Delegate handler) { }
                }

                internal static class Endpoints
                {
                    public static void Map(IEndpointRouteBuilder app, Task<int> count)
                    {
                        app.MapGet("/count", () => {|#0:count.Result|});
                        Registry.Register("count", () => {|#1:count.Result|});
                    }
                }
                """,
            FixedCode = Usings + """
                internal static class Registry
                {
                    public static void Register(string name, Delegate handler) { }
                }

                internal static class Endpoints
                {
                    public static void Map(IEndpointRouteBuilder app, Task<int> count)
                    {
                        app.MapGet("/count", async () => await count);
                        Registry.Register("count", () => {|#1:count.Result|});
                    }
                }
                """,
            ReferenceAssemblies = TestReferences.Net80WithAspNetCore,
        };
        test.ExpectedDiagnostics.Add(AwaitVerify.Diagnostic("TA0002").WithLocation(0)
            .WithArguments("Result", "blocks the thread until the task completes", "make the route handler async and use 'await' instead"));
        test.ExpectedDiagnostics.Add(AwaitVerify.Diagnostic("TA0002").WithLocation(1)
            .WithArguments("Result", "blocks the thread until the task completes", "it can deadlock under a synchronization context and holds a pool thread; make the caller async and await it"));
        test.FixedState.ExpectedDiagnostics.Add(AwaitVerify.Diagnostic("TA0002").WithLocation(1)
            .WithArguments("Result", "blocks the thread until the task completes", "it can deadlock under a synchronization context and holds a pool thread; make the caller async and await it"));
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- no fix

    [Fact]
    public async Task DelegateParameterOfAnotherMethod_NoFix()
    {
        // Not a route handler: who calls the delegate, and whether it awaits what it returns, is unknown.
        const string source = """
            internal static class Registry
            {
                public static void Register(string name, Delegate handler) { }
            }

            internal static class Endpoints
            {
                public static void Map(Task<int> count)
                    => Registry.Register("count", () => Results.Ok([|count.Result|]));
            }
            """;
        await VerifyAwaitAsync(source, source);
    }

    [Fact]
    public async Task HandlerWhoseBodyCannotAwait_NoFix()
    {
        // The wait inside a nested synchronous lambda belongs to that lambda; inside a lock, await is not allowed; a cast
        // fixes the delegate type; an explicit return type would have to change; a lone HttpContext parameter would make
        // the async lambda bind to the RequestDelegate overload; a handler that returns a task already.
        const string source = """
            internal static class Endpoints
            {
                private static readonly object Gate = new();

                public static void Map(IEndpointRouteBuilder app, Task<int> count)
                {
                    app.MapGet("/nested", () => { Func<int> read = () => [|count.Result|]; return read(); });
                    app.MapGet("/locked", () => { lock (Gate) { return [|count.Result|]; } });
                    app.MapGet("/cast", (Func<int>)(() => [|count.Result|]));
                    app.MapGet("/typed", int () => [|count.Result|]);
                    app.MapGet("/context", (HttpContext context) => { [|count.Wait()|]; });
                    app.MapGet("/task", () => { [|count.Wait()|]; return Task.CompletedTask; });
                }
            }
            """;
        await VerifyAwaitAsync(source, source);
    }

    // ---------------------------------------------------------------- make-async up to the handler

    [Fact]
    public async Task InterfaceMemberImplementationAndHandler_ConvertTogether()
    {
        await VerifyMakeAsyncAsync(
            """
            internal interface IReportService
            {
                string ExportCsv();
            }

            internal sealed class ReportService : IReportService
            {
                public string ExportCsv()
                {
                    var rows = [|LoadRowsAsync().GetAwaiter().GetResult()|];
                    return string.Join("\n", rows);
                }

                private static Task<List<string>> LoadRowsAsync() => Task.FromResult(new List<string> { "a" });
            }

            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app)
                    => app.MapGet("/export.csv", (IReportService reports) => Results.Text(reports.ExportCsv(), "text/csv"));
            }
            """,
            """
            internal interface IReportService
            {
                Task<string> ExportCsvAsync();
            }

            internal sealed class ReportService : IReportService
            {
                public async Task<string> ExportCsvAsync()
                {
                    var rows = await LoadRowsAsync();
                    return string.Join("\n", rows);
                }

                private static Task<List<string>> LoadRowsAsync() => Task.FromResult(new List<string> { "a" });
            }

            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app)
                    => app.MapGet("/export.csv", async (IReportService reports) => Results.Text(await reports.ExportCsvAsync(), "text/csv"));
            }
            """);
    }

    [Fact]
    public async Task ThreeWaitsInAnImplementation_OneConversion()
    {
        await VerifyMakeAsyncAsync(
            """
            internal sealed record Loan(int Id);

            internal interface ILoanService
            {
                Loan? CheckOut(int equipmentId, DateTime now);
            }

            internal sealed class LoanService : ILoanService
            {
                private readonly Func<int, Task<string?>> _equipment = id => Task.FromResult<string?>("drill");
                private readonly Func<int, Task<int>> _insert = id => Task.FromResult(id + 1);
                private readonly Func<string, Task> _notify = text => Task.CompletedTask;

                public Loan? CheckOut(int equipmentId, DateTime now)
                {
                    var equipment = [|_equipment(equipmentId).GetAwaiter().GetResult()|];
                    if (equipment is null)
                    {
                        return null;
                    }

                    var id = [|_insert(equipmentId).Result|];
                    [|_notify($"{equipment} is due {now.AddDays(7):yyyy-MM-dd}").Wait()|];
                    return new Loan(id);
                }
            }

            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app)
                    => app.MapPost("/loans", (int equipmentId, ILoanService service, TimeProvider clock)
                        => service.CheckOut(equipmentId, clock.GetUtcNow().UtcDateTime) is { } loan ? Results.Created($"/loans/{loan.Id}", loan) : Results.Conflict());
            }
            """,
            """
            internal sealed record Loan(int Id);

            internal interface ILoanService
            {
                Task<Loan?> CheckOutAsync(int equipmentId, DateTime now);
            }

            internal sealed class LoanService : ILoanService
            {
                private readonly Func<int, Task<string?>> _equipment = id => Task.FromResult<string?>("drill");
                private readonly Func<int, Task<int>> _insert = id => Task.FromResult(id + 1);
                private readonly Func<string, Task> _notify = text => Task.CompletedTask;

                public async Task<Loan?> CheckOutAsync(int equipmentId, DateTime now)
                {
                    var equipment = await _equipment(equipmentId);
                    if (equipment is null)
                    {
                        return null;
                    }

                    var id = await _insert(equipmentId);
                    await _notify($"{equipment} is due {now.AddDays(7):yyyy-MM-dd}");
                    return new Loan(id);
                }
            }

            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app)
                    => app.MapPost("/loans", async (int equipmentId, ILoanService service, TimeProvider clock)
                        => await service.CheckOutAsync(equipmentId, clock.GetUtcNow().UtcDateTime) is { } loan ? Results.Created($"/loans/{loan.Id}", loan) : Results.Conflict());
            }
            """);
    }

    [Fact]
    public async Task ImplementationWithNothingToAwait_NotOffered()
    {
        // The second implementation has no wait: as 'async' it would await nothing (CS1998).
        const string source = """
            internal interface IReportService
            {
                string ExportCsv();
            }

            internal sealed class ReportService : IReportService
            {
                private readonly Task<string> _csv = Task.FromResult("a,b");

                public string ExportCsv() => [|_csv.Result|];
            }

            internal sealed class FixedReportService : IReportService
            {
                public string ExportCsv() => "a,b";
            }

            internal static class Endpoints
            {
                public static void Map(IEndpointRouteBuilder app)
                    => app.MapGet("/export.csv", (IReportService reports) => Results.Text(reports.ExportCsv(), "text/csv"));
            }
            """;
        await VerifyMakeAsyncAsync(source, source);
    }

    [Fact]
    public async Task CallerInAHandlerThatCannotAwait_NotOffered()
    {
        // The call sits in a lock inside the handler, and in a lambda passed to a Delegate parameter of another method.
        const string source = """
            internal static class Registry
            {
                public static void Register(string name, Delegate handler) { }
            }

            internal sealed class Counter
            {
                private static readonly object Gate = new();
                private readonly Task<int> _count = Task.FromResult(1);

                public int Count() => [|_count.Result|];

                public static void Map(IEndpointRouteBuilder app, Counter counter)
                {
                    app.MapGet("/count", () => { lock (Gate) { return counter.Count(); } });
                    Registry.Register("count", () => counter.Count());
                }
            }
            """;
        await VerifyMakeAsyncAsync(source, source);
    }

    // ---------------------------------------------------------------- Fix All

    [Fact]
    public async Task FixAllInSolution_ConvertsAcrossProjects()
    {
        var test = new MakeAsyncVerify.Test
        {
            ReferenceAssemblies = TestReferences.Net80WithAspNetCore,
            TestState =
            {
                Sources =
                {
                    Usings + """
                    public interface IReportService
                    {
                        string ExportCsv();

                        int Count();
                    }

                    internal sealed class ReportService : IReportService
                    {
                        private readonly Task<string> _csv = Task.FromResult("a,b");
                        private readonly Task<int> _count = Task.FromResult(2);

                        public string ExportCsv() => [|_csv.Result|];

                        public int Count() => [|_count.Result|];
                    }
                    """,
                },
                AnalyzerConfigFiles = { ("/.globalconfig", "is_global = true\nbuild_property.IsPackable = false\n") },
                AdditionalProjects =
                {
                    ["Web"] =
                    {
                        Sources =
                        {
                            Usings + """
                            internal static class Endpoints
                            {
                                public static void Map(IEndpointRouteBuilder app)
                                {
                                    app.MapGet("/export.csv", (IReportService reports) => Results.Text(reports.ExportCsv(), "text/csv"));
                                    app.MapGet("/count", (IReportService reports) => Results.Ok(reports.Count() + 1));
                                }
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
                    Usings + """
                    public interface IReportService
                    {
                        Task<string> ExportCsvAsync();

                        Task<int> CountAsync();
                    }

                    internal sealed class ReportService : IReportService
                    {
                        private readonly Task<string> _csv = Task.FromResult("a,b");
                        private readonly Task<int> _count = Task.FromResult(2);

                        public async Task<string> ExportCsvAsync() => await _csv;

                        public async Task<int> CountAsync() => await _count;
                    }
                    """,
                },
                AdditionalProjects =
                {
                    ["Web"] =
                    {
                        Sources =
                        {
                            Usings + """
                            internal static class Endpoints
                            {
                                public static void Map(IEndpointRouteBuilder app)
                                {
                                    app.MapGet("/export.csv", async (IReportService reports) => Results.Text(await reports.ExportCsvAsync(), "text/csv"));
                                    app.MapGet("/count", async (IReportService reports) => Results.Ok(await reports.CountAsync() + 1));
                                }
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

    // dotnet format passes the key of the first diagnostic's first action; here the first wait is in a method (no await fix),
    // so SyncOverAsyncFixer's Fix All gets a null key and must still make the handler async.
    [Fact]
    public async Task SyncOverAsyncFixer_FixAllWithNullKey_MakesTheHandlerAsync()
    {
        const string source = Usings + """
            internal static class Endpoints
            {
                private static int Read(Task<int> count) => count.Result;

                public static void Map(IEndpointRouteBuilder app, Task<int> count)
                    => app.MapGet("/count", () => Results.Ok(count.Result));
            }
            """;
        using var workspace = new AdhocWorkspace();
        await TestReferences.EnsureResolvedAsync();
        var metadata = await TestReferences.Net80WithAspNetCore.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Input",
            "Input",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: metadata));
        var document = workspace.AddDocument(project.Id, "Input.cs", SourceText.From(source));
        var compilation = (await document.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = (await CompilationFactory.RunAnalyzersAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new SyncOverAsyncAnalyzer())))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        Assert.Equal(2, diagnostics.Length);
        var fixer = new SyncOverAsyncFixer();
        Assert.Empty(await FixDriver.RegisterAsync(fixer, document, diagnostics[0], CancellationToken.None));

        var fixedSolution = await FixDriver.FixAllAsync(
            fixer, FixAllScope.Solution, document, "TA0002", equivalenceKey: null, new Provider(diagnostics), CancellationToken.None);

        Assert.NotNull(fixedSolution);
        var text = (await fixedSolution!.GetDocument(document.Id)!.GetTextAsync()).ToString();
        Assert.Contains("app.MapGet(\"/count\", async () => Results.Ok(await count));", text);
        Assert.Contains("private static int Read(Task<int> count) => count.Result;", text);
    }

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> diagnostics;

        public Provider(ImmutableArray<Diagnostic> diagnostics) => this.diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
