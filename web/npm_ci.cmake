# Runs `npm ci` in web/ when its lockfile differs from the one last
# installed there: several build directories share web/node_modules, and
# each would otherwise reinstall it once.
#   cmake -DNPM=npm -DWEB_DIR=web -P npm_ci.cmake
file(SHA256 "${WEB_DIR}/package-lock.json" wanted)
set(mark "${WEB_DIR}/node_modules/.baton-lockfile-sha256")
if(EXISTS "${mark}")
  file(READ "${mark}" installed)
  if(installed STREQUAL wanted)
    # Newer than the lockfile: the build sees this step done.
    file(TOUCH_NOCREATE "${mark}")
    return()
  endif()
endif()
# No install scripts: none of the packages needs one (esbuild's binary
# comes as an optional dependency of its own).
execute_process(
  COMMAND "${NPM}" ci --ignore-scripts --no-audit --no-fund
  WORKING_DIRECTORY "${WEB_DIR}"
  RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "npm ci failed in ${WEB_DIR}")
endif()
file(WRITE "${mark}" "${wanted}")
