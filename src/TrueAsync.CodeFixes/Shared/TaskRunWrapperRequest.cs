using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Rules;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>
/// What the TA0001 fix works from: the sites the analyzer recorded in the diagnostic (<see cref="TaskRunWrapperProperties"/>)
/// and the form the planner chose (<see cref="FixPlan"/>), resolved against the current tree; none when anything no
/// longer fits.
/// </summary>
internal sealed class TaskRunWrapperRequest
{
    private TaskRunWrapperRequest(InvocationExpressionSyntax invocation, AnonymousFunctionExpressionSyntax function, FixForm form, FixTarget target)
    {
        Invocation = invocation;
        Function = function;
        Form = form;
        Target = target;
        ReturnedExpression = invocation;
    }

    public InvocationExpressionSyntax Invocation { get; }

    public AnonymousFunctionExpressionSyntax Function { get; }

    public FixForm Form { get; }

    public FixTarget Target { get; }

    public bool MakeAsync { get; private set; }

    public bool VoidTask { get; private set; }

    public int TokenArgument { get; private set; } = -1;

    public List<Site> Sites { get; } = new();

    /// <summary>The <c>await Task.Run(…)[.ConfigureAwait(…)]</c> expression, for the await targets.</summary>
    public AwaitExpressionSyntax? Await { get; private set; }

    /// <summary>The arguments of <c>.ConfigureAwait(…)</c> on the wrapper, carried to every await the fix writes.</summary>
    public ArgumentListSyntax? ConfigureAwaitArguments { get; private set; }

    /// <summary>What a non-async function returns: the wrapper, or a parenthesised/cast wrapper around it.</summary>
    public ExpressionSyntax ReturnedExpression { get; private set; }

    /// <summary>The statement that holds the wrapper, for the block forms.</summary>
    public StatementSyntax? Statement { get; private set; }

    public SyntaxNode? EnclosingFunction { get; private set; }

    public static TaskRunWrapperRequest? TryCreate(SyntaxNode root, Diagnostic diagnostic, FixPlan plan)
    {
        var properties = diagnostic.Properties;
        if (!int.TryParse(Get(properties, TaskRunWrapperProperties.SiteCount), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            || diagnostic.AdditionalLocations.Count != 2 + (2 * count)
            || Find(root, diagnostic.AdditionalLocations[0]) is not InvocationExpressionSyntax invocation
            || Find(root, diagnostic.AdditionalLocations[1]) is not AnonymousFunctionExpressionSyntax function
            || !invocation.Span.Contains(function.Span))
        {
            return null;
        }

        var request = new TaskRunWrapperRequest(invocation, function, plan.Form, plan.Target)
        {
            MakeAsync = plan.MakeAsync,
            VoidTask = plan.VoidTask,
        };
        if (int.TryParse(Get(properties, TaskRunWrapperProperties.TokenArgument), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokenArgument))
        {
            request.TokenArgument = tokenArgument;
        }

        for (var i = 0; i < count; i++)
        {
            var node = Find(root, diagnostic.AdditionalLocations[2 + (2 * i)]);
            var awaitable = Find(root, diagnostic.AdditionalLocations[3 + (2 * i)]) as ExpressionSyntax;
            var (kind, counterpartProperties) = TaskRunWrapperProperties.ReadSite(properties, i);
            if (node is null || kind is null || !function.Span.Contains(node.Span))
            {
                return null;
            }

            var counterpart = counterpartProperties.IsEmpty ? null : AsyncCounterpart.FromProperties(counterpartProperties);
            if ((kind is "Call" or "ForEach" && counterpart is null)
                || (kind == "Wait" && (awaitable is null || TaskRunWrapperRewriter.GetWaitedTask(node) is null)))
            {
                return null;
            }

            request.Sites.Add(new Site(kind, node, awaitable!, counterpart));
        }

        return request.ResolveContext() ? request : null;
    }

    private bool ResolveContext()
    {
        // The wrapper's value, seen from outside: Task.Run(…)[.ConfigureAwait(…)], maybe awaited.
        ExpressionSyntax outer = Invocation;
        if (outer.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure
            && configure.Parent is InvocationExpressionSyntax configureCall)
        {
            ConfigureAwaitArguments = configureCall.ArgumentList;
            outer = configureCall;
        }

        if (Target != FixTarget.Return)
        {
            if (outer.Parent is not AwaitExpressionSyntax awaitExpression)
            {
                return false;
            }

            Await = awaitExpression;
            if (Target != FixTarget.Await)
            {
                Statement = awaitExpression.FirstAncestorOrSelf<StatementSyntax>();
                if (Statement is null)
                {
                    return false;
                }
            }

            return Form != FixForm.Block || Function.Block is not null;
        }

        ConfigureAwaitArguments = null;
        ReturnedExpression = Invocation;
        Statement = Invocation.Parent as ReturnStatementSyntax;
        if (MakeAsync)
        {
            EnclosingFunction = FindFunction(Invocation);
            if (EnclosingFunction is null)
            {
                return false;
            }
        }

        return Form != FixForm.Block || (Function.Block is not null && Statement is not null);
    }

    private static SyntaxNode? FindFunction(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MethodDeclarationSyntax:
                    return ancestor;
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    internal static SyntaxNode? Find(SyntaxNode root, Location location)
    {
        if (!location.IsInSource || !root.FullSpan.Contains(location.SourceSpan))
        {
            return null;
        }

        var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        while (node is not null && node.Span != location.SourceSpan)
        {
            node = node.Parent;
        }

        return node is ArgumentSyntax argument ? argument.Expression : node;
    }

    private static string? Get(ImmutableDictionary<string, string?> properties, string key)
        => properties.TryGetValue(key, out var value) ? value : null;

    /// <summary>One site inside the delegate: a blocking call, a foreach, a wait, or a task the delegate already has.</summary>
    internal sealed class Site
    {
        public Site(string kind, SyntaxNode node, ExpressionSyntax awaitable, AsyncCounterpart? counterpart)
        {
            Kind = kind;
            Node = node;
            Awaitable = awaitable;
            Counterpart = counterpart;
        }

        public string Kind { get; }

        public SyntaxNode Node { get; }

        public ExpressionSyntax Awaitable { get; }

        public AsyncCounterpart? Counterpart { get; }
    }
}
