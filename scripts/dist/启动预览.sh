#!/bin/sh
# gongshi：在本文件夹启动预览（serve --open）。双击时请选择“在终端中运行”。
cd "$(dirname "$0")" || exit 1
./gongshi serve --open
status=$?
if [ "$status" -ne 0 ]; then
  printf '\n按回车键关闭……'
  read -r _
fi
exit "$status"
