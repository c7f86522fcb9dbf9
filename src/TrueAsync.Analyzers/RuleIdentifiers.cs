namespace TrueAsync.Analyzers;

/// <summary>The rule IDs, in one place. IDs are never reused; a new rule takes the next number.</summary>
public static class RuleIdentifiers
{
    public const string TaskRunAroundBlockingCall = "TA0001";
    public const string SyncOverAsync = "TA0002";
    public const string BlockingCallInAsyncCode = "TA0003";
    public const string FakeAsyncMethod = "TA0004";
    public const string InvalidConfiguration = "TA0005";

    public const string HelpLinkBase = "https://github.com/trueasync/TrueAsync/blob/main/docs/rules/";

    public static string GetHelpUri(string id) => HelpLinkBase + id + ".md";
}
