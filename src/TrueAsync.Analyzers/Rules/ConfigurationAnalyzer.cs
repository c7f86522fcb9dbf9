using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TrueAsync.Analyzers.Engine;

namespace TrueAsync.Analyzers.Rules;

/// <summary>
/// TA0005: an entry of TrueAsync's <c>.editorconfig</c> keys that the rules cannot use (docs/configuration.md). The rules
/// skip such an entry; without this message a typo would silently turn an exclusion or a counterpart off.
/// Reported once per entry, for the compilation, without a location: the options are not part of any source file.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConfigurationAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.InvalidConfiguration,
        title: "Invalid TrueAsync configuration entry",
        messageFormat: "TrueAsync configuration: {0}; the entry is ignored",
        category: "Configuration",
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "An entry of trueasync.counterparts, trueasync.blocking_methods or an excluded_methods key in .editorconfig cannot be used: it is not a documentation ID of the right kind, or the methods it names do not fit. The rules ignore it.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.InvalidConfiguration),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Not analyzed, so nothing to filter: docs/architecture.md, "Generated code".
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var engine = TrueAsyncEngine.ForRule(start, collectOwnMethods: false);
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var problem in engine.Model.ConfigurationProblems)
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule, Location.None, problem));
                }
            });
        });
    }
}
