"""Never collected.

>>> 1
2
"""
