using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Membership;

/// <summary>
/// The heartbeat wire format, version 3 (docs/heartbeat.md): the common header, the sender's state,
/// convergence fields and per-rule settings, its adopted proposal in full, the staged fingerprint,
/// and a 16-byte tag.
/// Heartbeats are untrusted input: the tag is checked before anything past the fixed header is
/// read, every field is length-checked, every value range-checked, and parsing never throws.
/// </summary>
public static class HeartbeatCodec
{
    /// <summary>Header, state, fingerprint, view, hand-over epoch, chunks and acks, rule count.</summary>
    public const int FixedSize = WireFormat.HeaderSize + 1 + 8 + 8 + 8 + 2 + 8 + 1;

    /// <summary>Adopted epoch and member count.</summary>
    private const int ProposalFixedSize = 8 + 1;

    /// <summary>The staged fingerprint, after the members.</summary>
    private const int StagedSize = 8;

    public const int MaxRules = ConfigLimits.MaxPortRules;

    public const int MaxMembers = Member.MaxPriority;

    /// <summary>No rules, nothing adopted.</summary>
    public const int MinSize = FixedSize + ProposalFixedSize + StagedSize + WireFormat.TagSize;

    /// <summary>32 rules and 64 members: 6,402 bytes, which IP fragments; a small cluster's heartbeat is a few hundred.</summary>
    public const int MaxSize = MinSize + (RuleWire.Size * MaxRules) + (MaxMembers * (1 + (RuleWire.Size * MaxRules)));

    public static int SizeOf(Heartbeat heartbeat) =>
        MinSize + (RuleWire.Size * heartbeat.Rules.Count)
        + (heartbeat.AdoptedOrNone.Members.Count * (1 + (RuleWire.Size * heartbeat.Rules.Count)));

    /// <summary>Writes the heartbeat and its tag; returns the size. Throws on a heartbeat the parser would refuse.</summary>
    public static int Write(Heartbeat heartbeat, ClusterKey key, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentNullException.ThrowIfNull(key);
        Check(heartbeat);
        var size = SizeOf(heartbeat);
        if (destination.Length < size)
        {
            throw new ArgumentException($"the heartbeat needs {size} bytes, the buffer has {destination.Length}", nameof(destination));
        }

        var datagram = destination[..size];
        var w = new WireWriter(datagram);
        WireFormat.WriteHeader(ref w, WireFormat.TypeHeartbeat, size, heartbeat.ClusterId, heartbeat.HostPriority, heartbeat.Incarnation, heartbeat.Sequence);
        w.Byte((byte)heartbeat.State);
        w.UInt64(heartbeat.Fingerprint);
        w.UInt64(heartbeat.View);
        w.UInt64(heartbeat.HandoverEpoch);
        w.UInt16((ushort)heartbeat.HandoverChunks);
        w.UInt64(heartbeat.HandoverAcks);
        w.Byte((byte)heartbeat.Rules.Count);
        foreach (var rule in heartbeat.Rules)
        {
            RuleWire.Write(ref w, rule);
        }

        var adopted = heartbeat.AdoptedOrNone;
        w.UInt64(adopted.Epoch);
        w.Byte((byte)adopted.Members.Count);
        foreach (var member in adopted.Members)
        {
            w.Byte((byte)member.Priority);
            foreach (var rule in member.Rules)
            {
                RuleWire.Write(ref w, rule);
            }
        }

        w.UInt64(heartbeat.Staged);
        WireFormat.Seal(datagram, key);
        return size;
    }

    public static HeartbeatError TryParse(ReadOnlySpan<byte> datagram, ClusterKey key, out Heartbeat? heartbeat)
    {
        ArgumentNullException.ThrowIfNull(key);
        heartbeat = null;
        var error = WireFormat.OpenWithHeader(datagram, WireFormat.TypeHeartbeat, MinSize, MaxSize, key, out var header);
        if (error != HeartbeatError.None)
        {
            return error;
        }

        var (clusterId, priority, incarnation, sequence) = header;
        var r = WireFormat.Body(datagram);

        var state = (MemberState)r.Byte();
        var fingerprint = r.UInt64();
        var view = r.UInt64();
        var handoverEpoch = r.UInt64();
        var handoverChunks = r.UInt16();
        var handoverAcks = r.UInt64();
        var ruleCount = r.Byte();
        var rules = r.Bytes(RuleWire.Size * ruleCount);
        var epoch = r.UInt64();
        var memberCount = r.Byte();
        var memberSize = 1 + (RuleWire.Size * ruleCount);
        if (r.Overrun || ruleCount > MaxRules || memberCount > MaxMembers || r.Remaining != (memberCount * memberSize) + StagedSize)
        {
            return HeartbeatError.LengthMismatch;
        }

        var members = r.Bytes(memberCount * memberSize);
        var staged = r.UInt64();
        error = state is < MemberState.Started or > MemberState.Suspended ? HeartbeatError.BadState
            : handoverChunks > HandoverCodec.MaxChunks && handoverChunks != Heartbeat.HandoverPending ? HeartbeatError.BadHandover
            : !AllRulesValid(rules) ? HeartbeatError.BadMemberRule
            : CheckProposal(epoch, members, memberSize);
        if (error != HeartbeatError.None)
        {
            return error;
        }

        heartbeat = new Heartbeat(
            ClusterId: clusterId,
            Fingerprint: fingerprint,
            HostPriority: priority,
            State: state,
            Incarnation: incarnation,
            Sequence: sequence,
            Rules: ReadRules(rules),
            View: view,
            Adopted: epoch == 0 ? null : new Proposal(epoch, ReadMembers(members, memberSize)),
            HandoverEpoch: handoverEpoch,
            HandoverChunks: handoverChunks,
            HandoverAcks: handoverAcks,
            Staged: staged);
        return HeartbeatError.None;
    }

    /// <summary>
    /// Epoch 0 is "nothing adopted" and has no members; any other epoch names its issuer in its low
    /// byte. Members are listed by strictly increasing host priority, each with valid rules.
    /// </summary>
    private static HeartbeatError CheckProposal(ulong epoch, ReadOnlySpan<byte> members, int memberSize)
    {
        if (epoch == 0 ? !members.IsEmpty : (epoch & 0xFF) is < Member.MinPriority or > Member.MaxPriority)
        {
            return HeartbeatError.BadProposal;
        }

        var previous = 0;
        for (var at = 0; at < members.Length; at += memberSize)
        {
            var priority = members[at];
            if (priority <= previous || priority > Member.MaxPriority)
            {
                return HeartbeatError.BadProposal;
            }

            if (!AllRulesValid(members.Slice(at + 1, memberSize - 1)))
            {
                return HeartbeatError.BadMemberRule;
            }

            previous = priority;
        }

        return HeartbeatError.None;
    }

    private static bool AllRulesValid(ReadOnlySpan<byte> rules)
    {
        for (var at = 0; at < rules.Length; at += RuleWire.Size)
        {
            if (!RuleWire.IsValid(rules.Slice(at, RuleWire.Size)))
            {
                return false;
            }
        }

        return true;
    }

    private static MemberRule[] ReadRules(ReadOnlySpan<byte> rules)
    {
        var result = new MemberRule[rules.Length / RuleWire.Size];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = RuleWire.Read(rules.Slice(i * RuleWire.Size, RuleWire.Size));
        }

        return result;
    }

    private static Member[] ReadMembers(ReadOnlySpan<byte> members, int memberSize)
    {
        var result = new Member[members.Length / memberSize];
        for (var i = 0; i < result.Length; i++)
        {
            var member = members.Slice(i * memberSize, memberSize);
            result[i] = new Member(member[0], ReadRules(member[1..]));
        }

        return result;
    }

    private static bool AllValid(IReadOnlyList<MemberRule> rules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            if (!RuleWire.IsValid(rules[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What the parser would refuse, refused before a byte is written: a bug on our side.</summary>
    private static void Check(Heartbeat hb)
    {
        static void Require(bool ok, string what)
        {
            if (!ok)
            {
                throw new ArgumentException($"cannot encode this heartbeat: {what}", "heartbeat");
            }
        }

        Require(hb.HostPriority is >= Member.MinPriority and <= Member.MaxPriority, "host priority outside 1..64");
        Require(hb.State is >= MemberState.Started and <= MemberState.Suspended, "unknown state");
        Require(hb.HandoverChunks is >= 0 and <= HandoverCodec.MaxChunks or Heartbeat.HandoverPending, "hand-over chunk count out of range");
        Require(hb.Rules.Count <= MaxRules, $"more than {MaxRules} port rules");
        Require(AllValid(hb.Rules), "a port rule setting out of range");
        var adopted = hb.AdoptedOrNone;
        Require(adopted.Members.Count <= MaxMembers, $"more than {MaxMembers} members");
        Require(adopted.Epoch == 0 ? adopted.Members.Count == 0 : adopted.Issuer is >= Member.MinPriority and <= Member.MaxPriority, "an adopted epoch without a valid issuer");
        var previous = 0;
        foreach (var member in adopted.Members)
        {
            Require(member.Priority > previous && member.Priority <= Member.MaxPriority, "adopted members not in increasing priority order");
            Require(member.Rules.Count == hb.Rules.Count, "an adopted member with another number of rules than the sender");
            Require(AllValid(member.Rules), "an adopted member's rule setting out of range");
            previous = member.Priority;
        }
    }
}
