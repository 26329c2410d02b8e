# muster.fish: fish completion for muster: commands, options, and the
# workflows, tools, classes, instances and executions of the project.
# Installed as $(DATADIR)/fish/vendor_completions.d/muster.fish.

# The muster of the command line, with its -C DIR when it has one.
function __muster_cmd
    set -l words (commandline -opc)
    set -l cmd $words[1]
    set -l i 2
    while test $i -le (count $words)
        switch $words[$i]
            case -C
                set -a cmd -C $words[(math $i + 1)]
                set i (math $i + 1)
            case '-C*'
                set -a cmd $words[$i]
            case '-*'
            case '*'
                break
        end
        set i (math $i + 1)
    end
    printf '%s\n' $cmd
end

# __muster_list KIND: "name<TAB>description" for what 'muster list KIND'
# prints (the rest of the line is the description).
function __muster_list
    set -l cmd (__muster_cmd)
    $cmd list $argv[1] 2>/dev/null | while read -l name rest
        test "$argv[1]" = services -a "$name" = NAME; and continue
        test "$argv[1]" = executions -a "$name" = ID; and continue
        printf '%s\t%s\n' $name (string replace -ar '\s+' ' ' -- "$rest")
    end
end

# The operands after the command (and the service subcommand), options
# and their values left out.
function __muster_operands
    set -l words (commandline -opc)
    set -l out
    set -l skip 0
    for w in $words[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case -C --arg --arg-env --args-file -j --from --timeout --data --file \
                --workflow --status --limit --keep --older-than
                set skip 1
            case '-*'
            case '*'
                set -a out $w
        end
    end
    printf '%s\n' $out
end

# __muster_at CMD N: the command is CMD and N operands follow it so far.
function __muster_at
    set -l ops (__muster_operands)
    test "$ops[1]" = $argv[1]; and test (math (count $ops) - 1) -eq $argv[2]
end

# __muster_service_at SUB...: 'service SUB' with no instance named yet.
function __muster_service_at
    set -l ops (__muster_operands)
    test "$ops[1]" = service; and test (count $ops) -eq 2
    and contains -- $ops[2] $argv
end

# __muster_mcp_at SUB...: 'mcp SUB' with no server named yet.
function __muster_mcp_at
    set -l ops (__muster_operands)
    test "$ops[1]" = mcp; and test (count $ops) -eq 2
    and contains -- $ops[2] $argv
end

# "name=" for each argument of the workflow being run.
function __muster_wfargs
    set -l cmd (__muster_cmd)
    set -l ops (__muster_operands)
    $cmd show $ops[2] 2>/dev/null | while read -l line
        # An argument's line is indented two spaces; its description more.
        if test "$line" = arguments:
            set -f on 1
        else if string match -qr '^\S' -- $line
            set -f on 0
        else if test "$on" = 1; and string match -qr '^  \S' -- $line
            set -l name (string split -f1 ' ' -- (string trim -- $line))
            if string match -q -- "$name=*" (commandline -ct)
                # An enum's values: 'one of ["dev","prod"]'.
                for v in (string match -r 'one of \[(.*)\]' -- $line)[2..-1]
                    for x in (string split , -- $v)
                        printf '%s=%s\n' $name (string trim -c '"' -- $x)
                    end
                end
            else
                printf '%s=\n' $name
            end
        end
    end
end

set -l commands run resume status history logs cancel pause checkpoint gc call list show graph validate render service mcp init version help trace report metrics
complete -c muster -f
complete -c muster -n "not __fish_seen_subcommand_from $commands" -s C -r -a '(__fish_complete_directories)' -d 'use DIR/.muster'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -s v -d 'more output'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -s q -d 'less output'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -l color -x -a 'auto always never' -d 'when to colour'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -s h -l help -d 'describe muster'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -s V -l version -d 'print the version'
complete -c muster -l json -d 'machine-readable output'

complete -c muster -n "not __fish_seen_subcommand_from $commands" -a run -d 'run a workflow'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a resume -d 'finish an execution that failed or was stopped'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a status -d "show an execution's record"
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a history -d 'list past executions, newest first'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a logs -d "print what an execution's steps wrote"
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a cancel -d 'stop a running execution'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a pause -d 'finish the running steps, then stop until resume'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a checkpoint -d 'name the point a stopped execution has reached'
complete -c muster -n '__fish_seen_subcommand_from pause checkpoint' -l last -d 'the latest execution'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a gc -d 'delete executions that no longer run'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a call -d 'run one tool and print its result'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a list -d 'list definitions with their descriptions'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a show -d "show a workflow's arguments, steps and edges"
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a graph -d "print a workflow's step graph"
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a validate -d 'check definitions and report every problem'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a render -d 'render one template against JSON data'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a service -d 'create and manage service instances'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a mcp -d "serve workflows to MCP clients; try an MCP server's tools"
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a version -d "print muster's version"
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a init -d 'write a starter .muster folder here'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a help -d 'describe muster or one of its commands'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a trace -d 'write an execution as Chrome trace-event JSON'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a report -d 'write an execution as one self-contained HTML page'
complete -c muster -n "not __fish_seen_subcommand_from $commands" -a metrics -d 'print Prometheus metrics of the recorded runs'

# Operands.
complete -c muster -n '__muster_at run 0; or __muster_at show 0; or __muster_at graph 0' -a '(__muster_list workflows)'
complete -c muster -n '__muster_at resume 0; or __muster_at status 0; or __muster_at logs 0; or __muster_at cancel 0; or __muster_at pause 0; or __muster_at checkpoint 0' -k -a '(__muster_list executions)'
complete -c muster -n '__muster_at call 0' -a '(__muster_list tools)'
complete -c muster -n '__muster_at trace 0; or __muster_at report 0' -k -a '(__muster_list executions)'
complete -c muster -n '__fish_seen_subcommand_from trace report' -s o -l output -r -F -d 'write FILE'
complete -c muster -n '__fish_seen_subcommand_from run' -l metrics-file -r -F -d 'write Prometheus metrics to FILE'
complete -c muster -n '__muster_at list 0' -a 'workflows tools serviceclasses mcpservers services executions'
complete -c muster -n '__muster_at help 0' -a "$commands"
complete -c muster -n '__fish_seen_subcommand_from validate' -F
complete -c muster -n '__fish_seen_subcommand_from validate' -l online -d 'also ask the MCP servers'
complete -c muster -n '__fish_seen_subcommand_from list' -l online -d "also the MCP servers' tools"
complete -c muster -n '__muster_at service 0' -a 'create start stop restart delete status wait logs scale list'
complete -c muster -n '__muster_service_at create' -a '(__muster_list serviceclasses)'
complete -c muster -n '__muster_service_at start stop restart delete status wait logs scale' -a '(__muster_list services)'

complete -c muster -n '__muster_at mcp 0' -a 'serve tools call'
complete -c muster -n '__muster_mcp_at tools call' -a '(__muster_list mcpservers)'

# Options of the commands.
complete -c muster -n '__fish_seen_subcommand_from run' -l arg -x -a '(__muster_wfargs)' -d 'an argument K=V'
complete -c muster -n '__fish_seen_subcommand_from call create resume' -l arg -x -d 'an argument K=V'
complete -c muster -n '__fish_seen_subcommand_from run call create' -l args-file -r -F -d 'arguments from a file'
complete -c muster -n '__fish_seen_subcommand_from run resume' -s j -x -d 'at most N processes at once'
complete -c muster -n '__fish_seen_subcommand_from run resume' -s k -l keep-going -d 'run what does not depend on a failure'
complete -c muster -n '__fish_seen_subcommand_from run' -s n -l dry-run -d 'print the plan only'
complete -c muster -n '__fish_seen_subcommand_from run create start restart wait scale' -l timeout -x -d 'a duration'
complete -c muster -n '__fish_seen_subcommand_from mcp; and __fish_seen_subcommand_from call' -l timeout -x -d 'a duration'
complete -c muster -n '__fish_seen_subcommand_from serve' -l tools -d "also the tools and MCP servers' tools"
complete -c muster -n '__fish_seen_subcommand_from run' -l fsync -d 'make every record survive a power cut'
complete -c muster -n '__fish_seen_subcommand_from run' -l only -x -d 'run STEP and what it depends on'
complete -c muster -n '__fish_seen_subcommand_from run' -l from -x -d 'run STEP and what depends on it'
complete -c muster -n '__fish_seen_subcommand_from history' -l since -x -d 'started in the last D or since a date'
complete -c muster -n '__fish_seen_subcommand_from gc' -s n -l dry-run -d 'only say what would go'
complete -c muster -n '__fish_seen_subcommand_from logs' -s f -d 'go on as tail -f'
complete -c muster -n '__fish_seen_subcommand_from resume status logs cancel' -l last -d 'the latest execution'
complete -c muster -n '__fish_seen_subcommand_from run call create resume' -l arg-env -x -d 'an argument from the environment K=ENVVAR'
complete -c muster -n '__fish_seen_subcommand_from resume' -l from -x -d 'run STEP and its dependents again'
complete -c muster -n '__fish_seen_subcommand_from resume' -l from-checkpoint -x -d 'run what completed after NAME again'
complete -c muster -n '__fish_seen_subcommand_from logs' -l follow -d 'print what arrives until the end'
complete -c muster -n '__fish_seen_subcommand_from history' -l workflow -x -a '(__muster_list workflows)' -d 'only this workflow'
complete -c muster -n '__fish_seen_subcommand_from history' -l status -x -a 'running completed failed interrupted cancelled timed_out paused' -d 'only this status'
complete -c muster -n '__fish_seen_subcommand_from history' -l limit -x -d 'at most N'
complete -c muster -n '__fish_seen_subcommand_from gc' -l older-than -x -d 'keep what started less than D ago'
complete -c muster -n '__fish_seen_subcommand_from gc' -l keep -x -d 'keep the newest N'
complete -c muster -n '__fish_seen_subcommand_from graph' -l format -x -a 'dot text' -d 'output format'
complete -c muster -n '__fish_seen_subcommand_from render' -l data -r -F -d 'JSON data'
complete -c muster -n '__fish_seen_subcommand_from render' -l missingkey -x -a 'default error' -d 'what a missing key gives'
complete -c muster -n '__fish_seen_subcommand_from render' -l shell -d 'escape values for the shell'
complete -c muster -n '__fish_seen_subcommand_from render' -l file -r -F -d 'template from a file'
complete -c muster -n '__fish_seen_subcommand_from render' -l functions -d 'list the template functions'
complete -c muster -n '__fish_seen_subcommand_from create' -l no-wait -d 'do not wait until healthy'
complete -c muster -n '__fish_seen_subcommand_from delete' -l force -d 'also with dependents'
