namespace OpenNlb.Core.Control;

/// <summary>
/// One event nlbd logged, as <c>nlb display</c> lists it: when, its stable event id and name
/// (docs/architecture.md lists them), its level, and the line as the journal shows it.
/// </summary>
public sealed record LogEvent(DateTimeOffset Time, int Id, string Name, string Level, string Text);
