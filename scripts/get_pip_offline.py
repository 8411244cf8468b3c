"""Stand-in for the get-pip bootstrap script that ansible-test runs in each venv it creates.

ansible-test downloads get-pip from a host this project's machines cannot reach; it first
looks in its cache, where `scripts/ansible_test_setup.sh` puts this file. It installs pip
from the wheel the setup script downloaded from PyPI next to it, with the same arguments.
"""

import glob
import os
import sys

WHEEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pip-wheels")
# get-pip's own switches; pip install does not know them.
GET_PIP_ONLY = {"--no-setuptools", "--no-wheel"}

wheel = sorted(glob.glob(os.path.join(WHEEL_DIR, "pip-*.whl")))[-1]
sys.path.insert(0, wheel)

from pip._internal.cli.main import main  # noqa: E402

arguments = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
sys.exit(main(["install", "--no-index", "--find-links", WHEEL_DIR, *arguments]))
