import FuzzSupport

runLibFuzzer(fuzzTimestamp)
