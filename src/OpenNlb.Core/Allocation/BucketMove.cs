namespace OpenNlb.Core.Allocation;

/// <summary>A bucket whose owner changed between two maps. A host of 0 means nobody.</summary>
public readonly record struct BucketMove(int Bucket, int From, int To);
