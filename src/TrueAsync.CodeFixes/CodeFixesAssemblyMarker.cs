namespace TrueAsync.CodeFixes;

/// <summary>Names this assembly for tests and tools that find the fixers by reflection.</summary>
public static class CodeFixesAssemblyMarker
{
}
