def check_not_collected_file_name_does_not_match():
    raise AssertionError("never collected")
