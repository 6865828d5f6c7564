print("nested conftest prints")
