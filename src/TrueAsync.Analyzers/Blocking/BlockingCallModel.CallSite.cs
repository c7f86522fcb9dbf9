using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>The per-call part of the answer: receiver, arguments and the place of the call.</summary>
internal sealed partial class BlockingCallModel
{
    private const int MaxQueryDepth = 32;

    private static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

    private static IOperation StripConversions(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case ITranslatedQueryOperation query:
                    // "from b in db.Blogs select b" is the Select(...) call underneath.
                    operation = query.Operation;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The receiver: the instance, or the <c>this</c> argument of an extension method.</summary>
    private static IOperation? GetReceiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return StripConversions(instance);
        }

        if (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0)
        {
            return StripConversions(invocation.Arguments[0].Value);
        }

        return null;
    }

    /// <summary>In reduced form (<c>conn.Query()</c>) the <c>this</c> argument is the receiver, not a written argument.</summary>
    private static bool IsReducedExtensionCall(IInvocationOperation invocation)
        => invocation.TargetMethod.IsExtensionMethod
            && invocation.Arguments.Length > 0
            && invocation.Arguments[0].Syntax is not ArgumentSyntax;

    private bool IsInMemoryReceiver(IOperation receiver)
    {
        if (receiver is IPropertyReferenceOperation property
            && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, Types.Console))
        {
            return true;
        }

        if (receiver.Type is INamedTypeSymbol staticType && Types.OpaqueReceiverTypes.Contains(staticType))
        {
            return true;
        }

        for (var type = receiver.Type as INamedTypeSymbol; type is not null; type = type.BaseType)
        {
            if (Types.InMemoryReceiverTypes.Contains(type.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsQueryable(ITypeSymbol? type)
    {
        if (type is null || Types.Queryable is null)
        {
            return false;
        }

        if (type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Types.Queryable))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, Types.Queryable))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsDbSet(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, Types.DbSet))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsEfQuery(IOperation operation, int depth, HashSet<ILocalSymbol>? visiting)
    {
        if (depth > MaxQueryDepth)
        {
            return false;
        }

        operation = StripConversions(operation);
        if (IsDbSet(operation.Type))
        {
            return true;
        }

        switch (operation)
        {
            case IInvocationOperation invocation:
            {
                var method = invocation.TargetMethod;
                if (method.IsExtensionMethod && invocation.Arguments.Length > 0)
                {
                    var source = StripConversions(invocation.Arguments[0].Value);
                    if (IsQueryable(source.Type) || IsDbSet(source.Type))
                    {
                        // Where/Select/Include/AsNoTracking/FromSql…: the query is EF's when its source is.
                        return IsEfQuery(source, depth + 1, visiting);
                    }
                }

                // EF's own query sources: DbContext.Set<T>(), Database.SqlQuery<T>(), CollectionEntry.Query() ...
                return IsInEfNamespace(method.ContainingType) && IsQueryable(method.ReturnType);
            }

            case ILocalReferenceOperation local:
                return IsEfLocal(local, depth, visiting);

            default:
                return false;
        }
    }

    private static bool IsInEfNamespace(INamedTypeSymbol? type)
    {
        var name = type?.ContainingNamespace?.ToDisplayString();
        return name is not null
            && name.StartsWith(BlockingCatalog.EfNamespace, StringComparison.Ordinal)
            && (name.Length == BlockingCatalog.EfNamespace.Length || name[BlockingCatalog.EfNamespace.Length] == '.');
    }

    /// <summary>
    /// A local is an EF query when every value it is given is one (references to the local itself, as in
    /// <c>q = q.Where(…)</c>, count as EF while the local is being examined).
    /// </summary>
    private bool IsEfLocal(ILocalReferenceOperation reference, int depth, HashSet<ILocalSymbol>? visiting)
    {
        var local = reference.Local;
        if (visiting is not null && visiting.Contains(local))
        {
            return true;
        }

        var values = new List<IOperation>();
        if (!TryCollectLocalValues(reference, local, values) || values.Count == 0)
        {
            return false;
        }

        visiting ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        visiting.Add(local);
        try
        {
            foreach (var value in values)
            {
                if (!IsEfQuery(value, depth + 1, visiting))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            visiting.Remove(local);
        }
    }

    /// <summary>
    /// Every value stored in <paramref name="local"/> within its function body (initializer and simple
    /// assignments); false when the local escapes by reference (<c>ref</c>/<c>out</c>), which hides its values.
    /// </summary>
    private static bool TryCollectLocalValues(IOperation anyInBody, ILocalSymbol local, List<IOperation> values)
    {
        var root = anyInBody;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    var initializer = declarator.GetVariableInitializer();
                    if (initializer is not null)
                    {
                        values.Add(initializer.Value);
                    }

                    break;
                case IAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation target
                    && SymbolEqualityComparer.Default.Equals(target.Local, local):
                    if (assignment is not ISimpleAssignmentOperation simple)
                    {
                        return false;
                    }

                    values.Add(simple.Value);
                    break;
                case IArgumentOperation { Value: ILocalReferenceOperation argumentLocal } argument
                    when argument.Parameter is { RefKind: RefKind.Ref or RefKind.Out }
                    && SymbolEqualityComparer.Default.Equals(argumentLocal.Local, local):
                    return false;
            }
        }

        return true;
    }

    private static bool IsZeroTimeoutWait(IInvocationOperation invocation)
    {
        // sem.Wait(0) is a non-blocking try-acquire.
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "millisecondsTimeout" && argument.Value.ConstantValue is { HasValue: true, Value: 0 })
            {
                return true;
            }
        }

        return false;
    }

    private bool TryChooseCandidate(MethodEntry entry, IInvocationOperation invocation, bool reduced, out Candidate chosen, out TokenPassing token, out bool tokenRequired)
    {
        chosen = null!;
        token = TokenPassing.None;
        Candidate? withToken = null;
        var withTokenPassing = TokenPassing.None;
        Candidate? withoutToken = null;

        foreach (var candidate in entry.Candidates)
        {
            if (!TryMatchArguments(candidate, invocation, reduced, out var passing))
            {
                continue;
            }

            if (candidate.TokenIndex >= 0)
            {
                if (withToken is null || IsBetter(candidate, withToken))
                {
                    withToken = candidate;
                    withTokenPassing = passing;
                }
            }
            else if (withoutToken is null || IsBetter(candidate, withoutToken))
            {
                withoutToken = candidate;
            }
        }

        if (withToken is not null && (withoutToken is null || withToken.Result <= withoutToken.Result))
        {
            chosen = withToken;
            token = withTokenPassing;
            tokenRequired = withoutToken is null && !withToken.Method.Parameters[withToken.TokenIndex].IsOptional;
            return true;
        }

        tokenRequired = false;
        if (withoutToken is not null)
        {
            chosen = withoutToken;
            return true;
        }

        return false;
    }

    private static bool IsBetter(Candidate candidate, Candidate current) => candidate.Result < current.Result;

    private static bool TryMatchArguments(Candidate candidate, IInvocationOperation invocation, bool reduced, out TokenPassing passing)
    {
        passing = TokenPassing.None;
        var parameterCount = candidate.Method.Parameters.Length;
        if (parameterCount > 64)
        {
            return false;
        }

        var covered = 0UL;
        var written = 0;
        var allPositional = true;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            var parameter = argument.Parameter;
            if (parameter is null || parameter.Ordinal >= candidate.Positional.Length)
            {
                return false;
            }

            int index;
            if (argument.Syntax is ArgumentSyntax { NameColon: not null })
            {
                index = candidate.Named[parameter.Ordinal];
                allPositional = false;
            }
            else
            {
                index = candidate.Positional[parameter.Ordinal];
            }

            if (index < 0)
            {
                return false;
            }

            covered |= 1UL << index;
            if (argument.Syntax is ArgumentSyntax)
            {
                written += argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } init }
                    ? init.ElementValues.Length
                    : 1;
            }
        }

        for (var j = 0; j < candidate.Core.Length; j++)
        {
            var parameter = candidate.Core[j];
            if ((covered & (1UL << j)) == 0 && !parameter.IsOptional && !parameter.IsParams)
            {
                return false;
            }
        }

        if (candidate.TokenIndex >= 0 && (covered & (1UL << candidate.TokenIndex)) == 0)
        {
            var syntaxIndex = candidate.TokenIndex - (reduced ? 1 : 0);
            passing = allPositional && written == syntaxIndex ? TokenPassing.Positional : TokenPassing.Named;
        }

        return true;
    }

    private static bool IsForEachCollection(IInvocationOperation invocation)
    {
        var parent = invocation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IForEachLoopOperation { IsAsynchronous: false } && invocation.Syntax.Parent is ForEachStatementSyntax;
    }

    private static bool IsInExpressionTreeOrNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation
                || (current is IAnonymousFunctionOperation lambda && AsyncContext.IsExpressionTreeLambda(lambda)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>XAsync</c> calling its own type's <c>X</c> (on <c>this</c>, <c>base</c> or statically) is a sync implementation
    /// behind an async name, and suggesting <c>XAsync</c> there would recurse. <c>_db.SaveChanges()</c> inside a
    /// repository's <c>SaveChangesAsync</c> is a different object's method and is still reported.
    /// </summary>
    private static bool IsOwnSyncTwin(IInvocationOperation invocation, IMethodSymbol method, IMethodSymbol counterpart)
    {
        var instance = invocation.Instance is null ? null : StripConversions(invocation.Instance);
        if (instance is not null and not IInstanceReferenceOperation || method.IsExtensionMethod)
        {
            return false;
        }

        // The enclosing method's name first, from the syntax: it must be the counterpart's (or XAsync) for the symbols
        // to be asked at all, and most reported calls are in methods of other names.
        if (EnclosingMethodName(invocation.Syntax) is not { } name
            || (!string.Equals(name, method.Name + "Async", StringComparison.Ordinal) && !string.Equals(name, counterpart.Name, StringComparison.Ordinal)))
        {
            return false;
        }

        var model = invocation.SemanticModel;
        if (model is null)
        {
            return false;
        }

        var symbol = model.GetEnclosingSymbol(invocation.Syntax.SpanStart);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        if (symbol is not IMethodSymbol enclosing || enclosing.ContainingType is null
            || !TypeShape.InheritsOrImplements(enclosing.ContainingType.OriginalDefinition, method.ContainingType.OriginalDefinition))
        {
            return false;
        }

        return string.Equals(enclosing.Name, method.Name + "Async", StringComparison.Ordinal)
            || SymbolEqualityComparer.Default.Equals(enclosing.OriginalDefinition, counterpart.OriginalDefinition);
    }

    /// <summary>The name of the method declaration around <paramref name="node"/>, through lambdas and local functions; null elsewhere.</summary>
    private static string? EnclosingMethodName(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            if (current is MemberDeclarationSyntax)
            {
                return current is MethodDeclarationSyntax declaration ? declaration.Identifier.ValueText : null;
            }
        }

        return null;
    }

    /// <summary>
    /// A buffered implementation of an async contract: the receiver's type implements the counterpart as its own sync
    /// method behind a finished task (<c>ReadAsync(r) =&gt; new(Read(r))</c>), and no derived type can change that (the
    /// implementation is sealed or not virtual). The type says its data is already in memory, so its sync method only
    /// decodes a buffer: calling it is not a blocking call (<c>ReadAsObject(…) =&gt; new(Read(r))</c> next to that
    /// <c>ReadAsync</c> is not fake async). A receiver typed as the abstract base still blocks by the model.
    /// </summary>
    private static bool IsBufferedImplementation(IInvocationOperation invocation, IMethodSymbol method, IMethodSymbol counterpart)
    {
        var instance = invocation.Instance is null ? null : StripConversions(invocation.Instance);
        if (instance?.Type is not INamedTypeSymbol receiverType || method.IsStatic || counterpart.IsStatic)
        {
            return false;
        }

        for (INamedTypeSymbol? type = receiverType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(counterpart.Name))
            {
                if (member is not IMethodSymbol candidate || !Overrides(candidate, counterpart))
                {
                    continue;
                }

                // The most derived implementation the receiver's static type can see: final, or nothing is known.
                var final = candidate.IsSealed || candidate.ContainingType.IsSealed || (!candidate.IsVirtual && !candidate.IsAbstract && !candidate.IsOverride);
                return final && candidate.DeclaringSyntaxReferences.Length == 1
                    && CallsSyncTwinWithoutAwait(candidate.DeclaringSyntaxReferences[0].GetSyntax(), method);
            }
        }

        return false;
    }

    private static bool Overrides(IMethodSymbol candidate, IMethodSymbol counterpart)
    {
        for (IMethodSymbol? current = candidate; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, counterpart.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="declaration"/> calls <paramref name="syncMethod"/> on <c>this</c> and awaits nothing. Read
    /// from syntax (the declaration may be in another tree): a call by that name whose arguments fit the method's
    /// parameters and pass no <c>true</c>/<c>false</c> literal, so that <c>CloseAsync() =&gt; Close(async: true)</c>, a
    /// dual-path overload, is not taken for the sync twin.
    /// </summary>
    private static bool CallsSyncTwinWithoutAwait(SyntaxNode declaration, IMethodSymbol syncMethod)
    {
        var required = 0;
        foreach (var parameter in syncMethod.Parameters)
        {
            required += parameter.IsOptional || parameter.IsParams ? 0 : 1;
        }

        var calls = false;
        foreach (var node in declaration.DescendantNodes())
        {
            if (node is AwaitExpressionSyntax)
            {
                return false;
            }

            if (node is not InvocationExpressionSyntax { ArgumentList.Arguments: var arguments } invocation
                || invocation.Expression switch
                {
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText,
                    _ => null,
                } != syncMethod.Name)
            {
                continue;
            }

            var fits = arguments.Count >= required && arguments.Count <= syncMethod.Parameters.Length;
            foreach (var argument in arguments)
            {
                fits &= !argument.Expression.IsKind(SyntaxKind.TrueLiteralExpression) && !argument.Expression.IsKind(SyntaxKind.FalseLiteralExpression);
            }

            calls |= fits;
        }

        return calls;
    }

    private AsyncCounterpart BuildCounterpart(IInvocationOperation invocation, IMethodSymbol method, MethodEntry entry, Candidate chosen, TokenPassing token, bool tokenRequired, bool reduced)
    {
        var asyncMethod = chosen.Method;
        var tree = invocation.Syntax.SyntaxTree;
        var awaitForEach = AllowsAwaitForEach(tree);
        var kind = chosen.IsStream ? CounterpartKind.AsyncStream : entry.Kind;
        var counterpart = new AsyncCounterpart(method.Name, asyncMethod.Name, entry.Library, kind)
        {
            Token = token,
            TokenParameterName = chosen.TokenIndex >= 0 ? asyncMethod.Parameters[chosen.TokenIndex].Name : null,
            TokenRequired = tokenRequired,
            AwaitForEachAllowed = awaitForEach,
            AsyncMethod = asyncMethod,
        };

        var fixable = true;
        switch (kind)
        {
            case CounterpartKind.StaticReplacement:
                counterpart.ReplacementType = asyncMethod.ContainingType.ToDisplayString(FullyQualified);
                counterpart.AsyncDisplay = asyncMethod.ContainingType.Name + "." + asyncMethod.Name;
                break;
            case CounterpartKind.CastReceiver:
                counterpart.CastType = asyncMethod.ContainingType.ToDisplayString(FullyQualified);
                // using System.Data.Common; lets the cast read (DbCommand)cmd rather than the qualified name.
                counterpart.ImportNamespace = asyncMethod.ContainingType.ContainingNamespace.ToDisplayString();
                counterpart.AsyncDisplay = asyncMethod.ContainingType.Name + "." + asyncMethod.Name;
                // An interface-typed receiver of unknown runtime type is cast on the assumption every ADO.NET
                // provider makes (see AdoInterfaceCasts), unless the project's options withhold it.
                fixable = AdoInterfaceCasts.CanCast(invocation)
                    && (ReceiverIsKnownToBe(invocation, asyncMethod.ContainingType) || adoInterfaceCasts.IsAllowed(tree));
                break;
            case CounterpartKind.AsyncStream:
                fixable = awaitForEach;
                break;
            default:
                if (method.IsExtensionMethod && !reduced
                    && !SymbolEqualityComparer.Default.Equals(method.ContainingType.OriginalDefinition, asyncMethod.ContainingType.OriginalDefinition))
                {
                    // Enumerable.ToList(query) cannot become Enumerable.ToListAsync(query).
                    fixable = false;
                }
                else if (asyncMethod.IsExtensionMethod
                    && !SymbolEqualityComparer.Default.Equals(method.ContainingNamespace, asyncMethod.ContainingNamespace))
                {
                    counterpart.ImportNamespace = asyncMethod.ContainingNamespace.ToDisplayString();
                }

                break;
        }

        if (kind != CounterpartKind.AsyncStream)
        {
            fixable &= IsResultCompatible(invocation, chosen, counterpart);
        }

        if (invocation.Syntax is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax })
        {
            // conn?.Query(...): an await cannot sit inside a conditional access.
            fixable = false;
        }

        counterpart.IsFixable = fixable;
        return counterpart;
    }

    /// <summary>Can <c>await counterpart</c> stand where the blocking call's value was used?</summary>
    private bool IsResultCompatible(IInvocationOperation invocation, Candidate chosen, AsyncCounterpart counterpart)
    {
        var resultType = chosen.Result == ResultRelation.AsyncIsBase && invocation.Type is { } castTo ? castTo : chosen.Awaited;
        counterpart.ResultIsAsyncDisposable = ImplementsAsyncDisposable(resultType);

        var parent = invocation.Parent;
        if (parent is IExpressionStatementOperation)
        {
            return true;
        }

        switch (chosen.Result)
        {
            case ResultRelation.Same:
                return true;
            case ResultRelation.AsyncIsBase:
                // ADO.NET's base async methods return the provider's own object (BeginDbTransaction under the hood),
                // so casting back to the provider type is safe there and only there.
                if (chosen.Awaited?.ContainingNamespace?.ToDisplayString() == "System.Data.Common" && invocation.Type is not null)
                {
                    counterpart.ResultCast = invocation.Type.ToDisplayString(FullyQualified);
                    return true;
                }

                return false;
            case ResultRelation.AsyncIsDerived:
                return parent switch
                {
                    IConversionOperation { IsImplicit: true } => true,
                    IArgumentOperation or IReturnOperation => true,
                    ISimpleAssignmentOperation assignment => ReferenceEquals(assignment.Value, invocation),
                    IVariableInitializerOperation => IsDeclarationCompatible(invocation, counterpart),
                    _ => false,
                };
            default:
                return false;
        }
    }

    private bool ImplementsAsyncDisposable(ITypeSymbol? type)
    {
        if (type is null || Types.AsyncDisposable is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type, Types.AsyncDisposable))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, Types.AsyncDisposable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An <c>IDbCommand</c>-typed receiver may be cast to <c>DbCommand</c> only when its runtime type is known:
    /// a local whose every value has a static type deriving from the class.
    /// </summary>
    private static bool ReceiverIsKnownToBe(IInvocationOperation invocation, INamedTypeSymbol target)
    {
        if (invocation.Instance is null || StripConversions(invocation.Instance) is not ILocalReferenceOperation reference)
        {
            return false;
        }

        var values = new List<IOperation>();
        if (!TryCollectLocalValues(invocation, reference.Local, values) || values.Count == 0)
        {
            return false;
        }

        foreach (var value in values)
        {
            if (StripConversions(value).Type is not { } type || !TypeShape.InheritsOrImplements(type, target))
            {
                return false;
            }
        }

        return true;
    }
}
