import FuzzSupport

runLibFuzzer(fuzzRecipe)
