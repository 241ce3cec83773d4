#!/bin/sh
# gongshi：检查本文件夹的内容并生成网站到 site/。双击时请选择“在终端中运行”。
cd "$(dirname "$0")" || exit 1
./gongshi build
status=$?
printf '\n按回车键关闭……'
read -r _
exit "$status"
