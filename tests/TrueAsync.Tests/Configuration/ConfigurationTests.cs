using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyBlockingCall = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;
using VerifyConfiguration = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.ConfigurationAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;
using VerifyTaskRun = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer,
    TrueAsync.CodeFixes.Rules.TaskRunWrapperFixer>;

namespace TrueAsync.Tests.Configuration;

/// <summary>The .editorconfig keys of docs/configuration.md: users' own counterparts, exclusions by type and namespace, TA0005.</summary>
public sealed class ConfigurationTests
{
    // An in-house data library whose async method does not follow the XAsync convention, and two that do.
    private const string Library = """

        namespace Acme.Data
        {
            public sealed class Db
            {
                public string Query(string sql) => sql;
                public Task<string> RunQueryAsync(string sql, CancellationToken cancellationToken) => Task.FromResult(sql);
                public int Execute(string sql, int timeout) => timeout;
                public Task<int> ExecuteNowAsync(string sql, int timeout) => Task.FromResult(timeout);
            }
        }

        namespace Acme.Legacy.Storage
        {
            public sealed class Store
            {
                public string Load(string key) => key;
                public Task<string> LoadAsync(string key) => Task.FromResult(key);
            }
        }

        namespace Acme.Cache
        {
            public sealed class Local
            {
                public string Get(string key) => key;
                public Task<string> GetAsync(string key) => Task.FromResult(key);
            }
        }
        """;

    private const string Usings = """
        using System.Threading;
        using System.Threading.Tasks;
        using Acme.Cache;
        using Acme.Data;
        using Acme.Legacy.Storage;

        """;

    private static string Code(string members) => Usings + "public sealed class C\n{\n" + members + "\n}\n" + Library;

    private static string EditorConfig(string lines) => "root = true\n\n[*.cs]\n" + lines + "\n";

    [Fact]
    public async Task Counterparts_ReportAndFixWithTheDeclaredMethod()
    {
        var test = new VerifyBlockingCall.Test
        {
            TestCode = Code("""
                    async Task<string> M(Db db, CancellationToken ct)
                    {
                        var n = db.[|Execute("delete from t", 30)|];
                        return db.[|Query("select 1")|];
                    }
                """),
            FixedCode = Code("""
                    async Task<string> M(Db db, CancellationToken ct)
                    {
                        var n = await db.ExecuteNowAsync("delete from t", 30);
                        return await db.RunQueryAsync("select 1", ct);
                    }
                """),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig(
            "trueasync.counterparts = M:Acme.Data.Db.Query(System.String)->M:Acme.Data.Db.RunQueryAsync(System.String,System.Threading.CancellationToken), "
            + "M:Acme.Data.Db.Execute(System.String,System.Int32)->M:Acme.Data.Db.ExecuteNowAsync(System.String,System.Int32)")));
        await test.RunAsync();
    }

    [Fact]
    public async Task Counterparts_ApplyToTaskRunToo()
    {
        var test = new VerifyTaskRun.Test
        {
            TestCode = Code("""
                    async Task<string> M(Db db) => await [|Task.Run|](() => db.Query("select 1"));
                """),
            FixedCode = Code("""
                    async Task<string> M(Db db) => await db.RunQueryAsync("select 1", CancellationToken.None);
                """),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig(
            "trueasync.counterparts = M:Acme.Data.Db.Query(System.String)->M:Acme.Data.Db.RunQueryAsync(System.String,System.Threading.CancellationToken)")));
        await test.RunAsync();
    }

    [Fact]
    public Task WithoutCounterparts_TheSameCallsAreSilent()
        => new VerifyBlockingCall.Test
        {
            TestCode = Code("""
                    async Task<string> M(Db db)
                    {
                        await Task.Yield();
                        return db.Query("select 1");
                    }
                """),
        }.RunAsync();

    [Fact]
    public async Task ExclusionsByTypePrefixAndNamespace_SilenceTA0003()
    {
        var test = new VerifyBlockingCall.Test
        {
            TestCode = Code("""
                    async Task<string> M(Store store, Local cache)
                    {
                        await Task.Yield();
                        return store.Load("a") + cache.Get("b");
                    }
                """),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig("trueasync.excluded_methods = T:Acme.Legacy.*, N:Acme.Cache")));
        await test.RunAsync();
    }

    [Fact]
    public async Task ExclusionOfAnotherNamespace_LeavesTheCallReported()
    {
        var test = new VerifyBlockingCall.Test
        {
            TestCode = Code("""
                    async Task<string> M(Local cache) => cache.[|Get("b")|];
                """),
            FixedCode = Code("""
                    async Task<string> M(Local cache) => await cache.GetAsync("b");
                """),
        };

        // N:Acme.Ca is a namespace prefix in text only, not a namespace: Acme.Cache stays reported.
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig("trueasync.excluded_methods = N:Acme.Ca, T:Acme.Legacy.Storage.Store")));
        await test.RunAsync();
    }

    [Fact]
    public async Task ExclusionByNamespace_SilencesTA0001()
    {
        var test = new VerifyTaskRun.Test
        {
            TestCode = Code("""
                    Task<string> M(Local cache) => Task.Run(() => cache.Get("b"));
                """),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig("trueasync.excluded_methods = N:Acme.Cache")));
        await test.RunAsync();
    }

    [Fact]
    public async Task InvalidEntries_ReportedByTA0005OnceEach_AndTheValidOnesStillApply()
    {
        var test = new VerifyConfiguration.Test
        {
            TestCode = Code("""
                    async Task<string> M(Db db, CancellationToken ct) => await db.RunQueryAsync("x", ct);
                """),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig(
            "trueasync.counterparts = M:Acme.Data.Db.Query(System.String) => M:Acme.Data.Db.RunQueryAsync, "
            + "M:Acme.Data.Db.Query(System.String)->M:Acme.Data.Db.Missing(System.String), "
            + "M:Acme.Data.Db.Query(System.String)->M:Acme.Data.Db.Execute(System.String,System.Int32), "
            + "M:Unknown.Lib.Get->M:Unknown.Lib.GetAsync\n"
            + "TA0003.excluded_methods = P:Acme.Data.Db.Name, T:Acme.*.Store, M:Acme.Data.Db.Query(System.String")));
        test.ExpectedDiagnostics.Add(Info("trueasync.counterparts: 'M:Acme.Data.Db.Query(System.String) => M:Acme.Data.Db.RunQueryAsync' is not of the form M:Blocking.Method(Params)->M:Async.Method(Params)"));
        test.ExpectedDiagnostics.Add(Info("trueasync.counterparts: 'M:Acme.Data.Db.Missing(System.String)' is not a method of this project or its references, although 'M:Acme.Data.Db.Query(System.String)' is"));
        test.ExpectedDiagnostics.Add(Info("trueasync.counterparts: 'M:Acme.Data.Db.Execute(System.String,System.Int32)' cannot replace 'M:Acme.Data.Db.Query(System.String)': it must return an awaitable type, take the same parameters and may add a CancellationToken last"));
        test.ExpectedDiagnostics.Add(Info("TA0003.excluded_methods: 'P:Acme.Data.Db.Name' starts with 'P:'; an exclusion is a method (M:), a type (T:) or a namespace (N:)"));
        test.ExpectedDiagnostics.Add(Info("TA0003.excluded_methods: 'T:Acme.*.Store': '*' is allowed only as the last part of a type name (T:Namespace.*)"));
        test.ExpectedDiagnostics.Add(Info("TA0003.excluded_methods: 'M:Acme.Data.Db.Query(System.String': its parentheses do not match"));
        await test.RunAsync();
    }

    [Fact]
    public async Task SemicolonStartsAComment_TheEntriesAfterItAreNotRead()
    {
        // .editorconfig (and Roslyn's reader of it) ends a value at ';' or '#': entries are separated by commas.
        var test = new VerifyBlockingCall.Test
        {
            TestCode = Code("""
                    async Task<string> M(Db db, CancellationToken ct)
                    {
                        var n = db.Execute("delete from t", 30);
                        return db.[|Query("select 1")|];
                    }
                """),
            FixedCode = Code("""
                    async Task<string> M(Db db, CancellationToken ct)
                    {
                        var n = db.Execute("delete from t", 30);
                        return await db.RunQueryAsync("select 1", ct);
                    }
                """),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig(
            "trueasync.counterparts = M:Acme.Data.Db.Query(System.String)->M:Acme.Data.Db.RunQueryAsync(System.String,System.Threading.CancellationToken); "
            + "M:Acme.Data.Db.Execute(System.String,System.Int32)->M:Acme.Data.Db.ExecuteNowAsync(System.String,System.Int32)")));
        await test.RunAsync();
    }

    [Fact]
    public async Task ValidConfiguration_NoTA0005()
    {
        var test = new VerifyConfiguration.Test
        {
            TestCode = Code("""
                    async Task<string> M(Db db, CancellationToken ct) => await db.RunQueryAsync("x", ct);
                """),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig(
            "trueasync.counterparts = M:Acme.Data.Db.Query(System.String)->M:Acme.Data.Db.RunQueryAsync(System.String,System.Threading.CancellationToken)\n"
            + "trueasync.excluded_methods = T:Acme.Legacy.*, N:Acme.Cache, M:Acme.Data.Db.Execute(System.String,System.Int32), Acme.Data.Db.Query()")));
        await test.RunAsync();
    }

    // A reporting library of another assembly, as in-house libraries are: it blocks and has no async API.
    private const string ReportingLibrary = """
        namespace Acme.Reports
        {
            public sealed class Renderer
            {
                public byte[] Render(string name) => new byte[0];
                public string Title(string name) => name;
            }
        }
        """;

    private static VerifyBlockingCall.Test WithReportingLibrary(string members, string editorConfig)
    {
        // Reported without a fix: applying fixes changes nothing. The own-method chain is a compilation-end (non-local) diagnostic.
        var source = "using Acme.Reports;\n" + Code(members);
        var test = new VerifyBlockingCall.Test
        {
            TestCode = source,
            FixedCode = source,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.TestState.AdditionalProjects["Acme.Reports"].Sources.Add(("/Acme.Reports/Renderer.cs", ReportingLibrary));
        test.TestState.AdditionalProjectReferences.Add("Acme.Reports");
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig(editorConfig)));
        return test;
    }

    [Fact]
    public async Task BlockingMethods_ReportedWithoutFix_InAsyncCodeAndThroughOwnMethods()
    {
        var test = WithReportingLibrary(
            """
                async Task<int> M(Renderer renderer)
                {
                    await Task.Yield();
                    var title = renderer.Title("q3");
                    return renderer.{|#0:Render("q3")|}.Length + {|#1:Build(renderer)|}.Length;
                }

                byte[] Build(Renderer renderer) => renderer.Render("q4");
            """,
            "trueasync.blocking_methods = M:Acme.Reports.Renderer.Render(System.String)");
        test.ExpectedDiagnostics.Add(VerifyBlockingCall.Diagnostic("TA0003").WithLocation(0).WithArguments("Render", "Renderer"));
        test.ExpectedDiagnostics.Add(VerifyBlockingCall.Diagnostic("TA0003").WithLocation(1).WithArguments("'Build' blocks on 'Render' (Renderer)", "Build"));
        await test.RunAsync();
    }

    [Fact]
    public Task BlockingMethods_ExcludedOrSync_Silent()
        => WithReportingLibrary(
            """
                async Task<int> M(Renderer renderer)
                {
                    await Task.Yield();
                    return renderer.Render("q3").Length;
                }

                int Sync(Renderer renderer) => renderer.Render("q3").Length;
            """,
            "trueasync.blocking_methods = T:Acme.Reports.Renderer\nTA0003.excluded_methods = N:Acme.Reports").RunAsync();

    // Inside Task.Run the wrapper holds a pool thread on the declared method: TA0001 reports the wrapper, without a fix
    // (there is no async API to await), and TA0003 gives up the call to it (one voice).
    [Fact]
    public async Task BlockingMethods_InTaskRun_ReportedByTA0001WithoutFix()
    {
        var source = "using Acme.Reports;\n" + Code(
            """
                async Task<int> M(Renderer renderer)
                {
                    var bytes = await {|#0:Task.Run|}(() => renderer.Render("q3"));
                    var title = await Task.Run(() => renderer.Title("q3"));
                    return bytes.Length + title.Length;
                }
            """);
        var test = new VerifyTaskRun.Test { TestCode = source, FixedCode = source };
        test.TestState.AdditionalProjects["Acme.Reports"].Sources.Add(("/Acme.Reports/Renderer.cs", ReportingLibrary));
        test.TestState.AdditionalProjectReferences.Add("Acme.Reports");
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", EditorConfig("trueasync.blocking_methods = M:Acme.Reports.Renderer.Render(System.String)")));
        test.ExpectedDiagnostics.Add(VerifyTaskRun.Diagnostic("TA0001").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithArguments("Task.Run", "the blocking call 'Render' (Renderer, trueasync.blocking_methods)", "'Render' has no async counterpart to await"));
        await test.RunAsync();

        var silent = WithReportingLibrary(
            """
                async Task<int> M(Renderer renderer) => (await Task.Run(() => renderer.Render("q3"))).Length;
            """,
            "trueasync.blocking_methods = M:Acme.Reports.Renderer.Render(System.String)");
        await silent.RunAsync();
    }

    private static DiagnosticResult Info(string problem)
        => new DiagnosticResult("TA0005", DiagnosticSeverity.Info).WithArguments(problem);
}
