import os
import sys

# tests import their shared helpers as `tests.helpers`
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
