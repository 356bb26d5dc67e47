import FuzzSupport

runLibFuzzer(fuzzJSONLines)
