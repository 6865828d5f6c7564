"""Never collected: it uses setuptools.

>>> 1
2
"""
import setuptools  # noqa: F401
