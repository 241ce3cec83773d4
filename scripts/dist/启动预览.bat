@echo off
rem gongshi: live preview of the site in this folder (serve --open).
cd /d "%~dp0"
gongshi.exe serve --open
if errorlevel 1 pause
