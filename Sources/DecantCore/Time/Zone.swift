import Foundation

/// A time zone as a recipe names it: an IANA name (`Europe/Berlin`, `UTC`) or a
/// fixed offset (`+05:30`). Zone data is the system's tz database as
/// Foundation's `TimeZone` sees it.
public struct Zone: Sendable, Equatable {
  public let name: String
  let fixedOffset: Int?
  let timeZone: TimeZone?

  /// True for the zones whose default ISO 8601 output ends in `Z`.
  public var isUTC: Bool { Zone.utcNames.contains(name) }
  static let utcNames: Set<String> = [
    "UTC", "Etc/UTC", "Z", "Zulu", "Etc/Zulu", "UCT", "Etc/UCT", "Universal", "Etc/Universal",
  ]

  /// Looks a zone up; nil when the name is neither a known zone nor an offset.
  public init?(_ name: String) {
    self.name = name
    if Zone.utcNames.contains(name) {
      fixedOffset = 0
      timeZone = nil
      return
    }
    if let offset = Zone.parseFixedOffset(name) {
      fixedOffset = offset
      timeZone = nil
      return
    }
    // Foundation accepts abbreviations and GMT+N spellings too; a recipe names IANA zones.
    guard name.contains("/") || Zone.knownNames.contains(name), let tz = TimeZone(identifier: name) else {
      return nil
    }
    fixedOffset = nil
    timeZone = tz
  }

  static func parseFixedOffset(_ name: String) -> Int? {
    let bytes = Array(name.utf8)
    guard bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") else { return nil }
    return bytes.withUnsafeBufferPointer { b in
      var p = 0
      guard let o = TimestampFormat.readOffset(b, &p), p == b.count else { return nil }
      return o
    }
  }

  /// Every zone name Foundation knows.
  public static let knownNames: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers)

  /// The known name closest to `name` (for "did you mean" messages).
  public static func suggestion(for name: String) -> String? {
    Suggest.closest(to: name, among: Array(knownNames) + ["UTC"], caseInsensitive: true)
  }

  /// UTC offset in seconds at an instant.
  func offset(at utc: Int64) -> Int {
    if let fixedOffset { return fixedOffset }
    return timeZone!.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc)))
  }

  /// The instants of zone transitions in the half-open range `(from, to)`.
  func transitions(after from: Int64, before to: Int64) -> [Int64] {
    guard let tz = timeZone else { return [] }
    var out: [Int64] = []
    var t = Date(timeIntervalSince1970: Double(from))
    while let next = tz.nextDaylightSavingTimeTransition(after: t) {
      let s = Int64(next.timeIntervalSince1970.rounded())
      if s >= to { break }
      out.append(s)
      t = next
      if out.count > 8 { break }
    }
    return out
  }
}

/// How a wall-clock time maps to instants in one zone.
public enum LocalResolution: Sendable, Equatable {
  /// One instant.
  case unique(Int64)
  /// The wall-clock time happens twice (a fall-back overlap): the earlier and later instants.
  case ambiguous(earlier: Int64, later: Int64)
  /// The wall-clock time is skipped (a spring-forward gap); `shifted` moves it
  /// later by the length of the gap, as java.time does.
  case nonexistent(shifted: Int64)
}

/// Converts between wall-clock times and instants for one zone, with caches.
///
/// Local → instant: each local hour is resolved once; an hour with no zone
/// transition within two days either side maps every second by one offset,
/// other hours are resolved value by value. Instant → offset: cached per UTC hour.
/// Memory: one small entry per distinct hour seen.
public final class ZoneConverter {
  public let zone: Zone
  private var localHours: [Int64: Int32] = [:]
  private var utcHours: [Int64: Int32] = [:]
  private static let complex: Int32 = .min
  /// Direct-mapped caches in front of the dictionaries (unsorted data revisits
  /// hours often; 2^14 hours is almost two years). They live in raw memory so
  /// lookups pay no exclusivity checks: `[local hours | UTC hours]` and their offsets.
  private static let slots = 1 << 14
  private let slotHours: UnsafeMutablePointer<Int64>
  private let slotOffsets: UnsafeMutablePointer<Int32>

  public init(zone: Zone) {
    self.zone = zone
    slotHours = .allocate(capacity: 2 * ZoneConverter.slots)
    slotHours.initialize(repeating: .min, count: 2 * ZoneConverter.slots)
    slotOffsets = .allocate(capacity: 2 * ZoneConverter.slots)
    slotOffsets.initialize(repeating: 0, count: 2 * ZoneConverter.slots)
  }

  deinit {
    slotHours.deallocate()
    slotOffsets.deallocate()
  }

  @inline(__always) private static func hour(_ seconds: Int64) -> Int64 {
    seconds >= 0 ? seconds / 3600 : (seconds - 3599) / 3600
  }

  /// Resolves a wall-clock time (seconds since the epoch as if it were UTC).
  public func resolve(local: Int64) -> LocalResolution {
    if let fixed = zone.fixedOffset { return .unique(local - Int64(fixed)) }
    let hour = ZoneConverter.hour(local)
    let slot = Int(truncatingIfNeeded: hour) & (ZoneConverter.slots - 1)
    let cached: Int32
    if slotHours[slot] == hour {
      cached = slotOffsets[slot]
    } else {
      if let c = localHours[hour] {
        cached = c
      } else {
        cached = classify(localHour: hour)
        localHours[hour] = cached
      }
      slotHours[slot] = hour
      slotOffsets[slot] = cached
    }
    if cached > ZoneConverter.firstTransitionCode { return .unique(local - Int64(cached)) }
    if cached == ZoneConverter.complex { return resolveExactly(local: local) }
    // One transition near this hour: the wall-clock time maps to the instants
    // before it by the old offset and after it by the new one.
    let t = nearTransitions[Int(cached - ZoneConverter.complex - 1)]
    let before = local - Int64(t.before)
    let after = local - Int64(t.after)
    let beforeFits = before < t.at
    let afterFits = after >= t.at
    if beforeFits && afterFits { return .ambiguous(earlier: min(before, after), later: max(before, after)) }
    if beforeFits { return .unique(before) }
    if afterFits { return .unique(after) }
    // In the gap the transition skips: shifted by its length.
    return .nonexistent(shifted: before)
  }

  /// Transitions near some local hour, referenced by the hour caches.
  private var nearTransitions: [(at: Int64, before: Int32, after: Int32)] = []
  /// Hour cache codes above this are offsets; `complex + 1 + i` is `nearTransitions[i]`.
  private static let firstTransitionCode: Int32 = -1_000_000

  /// The cache code of a local hour: its single offset when no transition is
  /// within two days, the one transition near it, or `complex`.
  private func classify(localHour: Int64) -> Int32 {
    let start = localHour * 3600 - 2 * 86_400
    let end = localHour * 3600 + 3600 + 2 * 86_400
    let transitions = zone.transitions(after: start, before: end)
    let a = zone.offset(at: start)
    let b = zone.offset(at: end)
    if transitions.isEmpty { return a == b ? Int32(a) : ZoneConverter.complex }
    guard transitions.count == 1, nearTransitions.count < 1 << 20 else { return ZoneConverter.complex }
    let at = transitions[0]
    // Only when the offsets either side are the window's (nothing else changes in it).
    guard zone.offset(at: at - 1) == a, zone.offset(at: at) == b, a != b else { return ZoneConverter.complex }
    if let i = nearTransitions.firstIndex(where: { $0.at == at }) {
      return ZoneConverter.complex + 1 + Int32(i)
    }
    nearTransitions.append((at, Int32(a), Int32(b)))
    return ZoneConverter.complex + Int32(nearTransitions.count)
  }

  /// Resolves a wall-clock time from the zone's transitions near it.
  func resolveExactly(local: Int64) -> LocalResolution {
    let windowStart = local - 2 * 86_400
    let windowEnd = local + 2 * 86_400
    let transitions = zone.transitions(after: windowStart, before: windowEnd)
    var offsets = [zone.offset(at: windowStart)]
    for t in transitions { offsets.append(zone.offset(at: t)) }
    var instants: [Int64] = []
    for o in Set(offsets) {
      let t = local - Int64(o)
      if zone.offset(at: t) == o { instants.append(t) }
    }
    instants.sort()
    if instants.count == 1 { return .unique(instants[0]) }
    if instants.count >= 2 { return .ambiguous(earlier: instants.first!, later: instants.last!) }
    // In a gap: find the transition whose skipped local range holds this time.
    for t in transitions {
      let before = zone.offset(at: t - 1)
      let after = zone.offset(at: t)
      if after > before && local >= t + Int64(before) && local < t + Int64(after) {
        return .nonexistent(shifted: local - Int64(before))
      }
    }
    // Not expected with consistent zone data; fall back to the earliest offset.
    return .nonexistent(shifted: local - Int64(offsets[0]))
  }

  /// The zone's UTC offset at an instant.
  public func offset(at utc: Int64) -> Int {
    if let fixed = zone.fixedOffset { return fixed }
    let hour = ZoneConverter.hour(utc)
    let slot = ZoneConverter.slots + Int(truncatingIfNeeded: hour) & (ZoneConverter.slots - 1)
    let cached: Int32
    if slotHours[slot] == hour {
      cached = slotOffsets[slot]
    } else {
      if let c = utcHours[hour] {
        cached = c
      } else {
        // An hour without a transition has one offset; others are looked up per instant.
        let start = hour * 3600
        let simple = zone.transitions(after: start - 1, before: start + 3600).isEmpty
        cached = simple ? Int32(zone.offset(at: start)) : ZoneConverter.complex
        utcHours[hour] = cached
      }
      slotHours[slot] = hour
      slotOffsets[slot] = cached
    }
    return cached == ZoneConverter.complex ? zone.offset(at: utc) : Int(cached)
  }
}
