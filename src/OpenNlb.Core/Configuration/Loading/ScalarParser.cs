using OpenNlb.Core.Configuration.Yaml;

namespace OpenNlb.Core.Configuration.Loading;

/// <summary>
/// Reads one value of type <typeparamref name="T"/>; on failure reports the error at
/// <paramref name="path"/> and returns false.
/// </summary>
internal delegate bool ScalarParser<T>(ConfigNode node, string path, ErrorSink errors, out T value);
