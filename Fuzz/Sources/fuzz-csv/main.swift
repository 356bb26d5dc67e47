import FuzzSupport

runLibFuzzer(fuzzCSV)
