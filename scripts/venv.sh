# Sourced by scripts/start and scripts/test: sets VENV to the Python
# environment sitegen is installed into, making it where it is missing.
#
# An environment already active (VIRTUAL_ENV) is used as it is. Otherwise
# .venv/ in this folder is made with `python3 -m venv`, so that the
# system's Python (which Debian and Ubuntu keep to their own packages) is
# left alone. It sees the packages already installed for that Python and
# adds what is missing. Debian and Ubuntu ship `venv` without pip
# (python3-venv): as root it is installed first, otherwise the command to
# install it is given.

if [[ -n "${VIRTUAL_ENV:-}" && -x "$VIRTUAL_ENV/bin/python" ]]; then
    VENV="$VIRTUAL_ENV"
else
    VENV="$PWD/.venv"
    if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        rm -rf "$VENV"
        if ! python3 -m venv --system-site-packages "$VENV" >/dev/null 2>&1; then
            rm -rf "$VENV"
            if ((EUID == 0)) && command -v apt-get >/dev/null; then
                export DEBIAN_FRONTEND=noninteractive
                apt-get update -qq
                apt-get install -y -qq --no-install-recommends python3-venv
                python3 -m venv --system-site-packages "$VENV"
            else
                echo "$(basename "$0"): python3 cannot make a virtual environment here." >&2
                echo "    Install its venv module first: sudo apt-get install python3-venv" >&2
                echo "    （python3 无法创建虚拟环境，请先安装：sudo apt-get install python3-venv）" >&2
                exit 1
            fi
        fi
    fi
fi
export PATH="$VENV/bin:$PATH"
