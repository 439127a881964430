using Xunit;

// Labs are whole clusters of processes on a 2-core machine: one at a time keeps timings honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
