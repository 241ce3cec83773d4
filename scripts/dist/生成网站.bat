@echo off
rem gongshi: check the site in this folder and build it into site\.
cd /d "%~dp0"
gongshi.exe build
echo.
pause
