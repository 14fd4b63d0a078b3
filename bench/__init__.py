"""Province-scale synthetic data and the benchmark (issue 7).

Not business code: `seed_scale` builds a synthetic province in a benchmark
database with bulk writes, and `bench` measures the real views, services and
exports against it. Nothing in the apps imports this package.
"""
