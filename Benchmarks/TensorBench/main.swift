// Placeholder replaced by the benchmark driver below in a later commit.
print("TensorBench: not yet implemented")
